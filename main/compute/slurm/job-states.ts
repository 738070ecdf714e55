// Slurm job states and what they mean for a step (DESIGN.md section 1's statuses, docs/compute.md):
// PENDING -> Queued, RUNNING -> Running, COMPLETED -> Completed, FAILED / OUT_OF_MEMORY /
// NODE_FAIL -> Failed with the reason, TIMEOUT -> Failed "time limit", CANCELLED -> Canceled.
import { constants } from 'node:os';

/** One job as a poll saw it. */
export interface JobState {
  jobId: string;
  /** Slurm's state word (PENDING, RUNNING, COMPLETED, ...); MISSING when the cluster no longer knows the job. */
  state: string;
  node: string | null;
  reason: string | null;
  /** The wait status (code << 8 | signal), when Slurm reports one. */
  exitStatus: number | null;
}

const QUEUED = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD']);
const TERMINAL = new Set([
  'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED', 'REVOKED', 'SPECIAL_EXIT', 'MISSING',
]);

export type JobPhase = 'queued' | 'running' | 'ended';

/** RUNNING, COMPLETING (cleaning up), SUSPENDED, STOPPED, ... count as running. */
export function phaseOf(state: string): JobPhase {
  if (TERMINAL.has(state)) return 'ended';
  if (QUEUED.has(state)) return 'queued';
  return 'running';
}

export interface JobOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why the step failed, when the exit code alone does not say it. */
  failure?: string;
  /** CANCELLED: the step ends Canceled. */
  canceled?: boolean;
}

const signalName = (n: number): NodeJS.Signals | null =>
  (Object.entries(constants.signals).find(([, v]) => v === n)?.[0] as NodeJS.Signals | undefined) ?? null;

/** What an ended job means for the attempt. */
export function outcomeOf(j: JobState): JobOutcome {
  const code = j.exitStatus == null ? null : (j.exitStatus >> 8) & 0xff;
  const sig = j.exitStatus == null ? null : j.exitStatus & 0x7f;
  const id = `Slurm job ${j.jobId}`;
  switch (j.state) {
    case 'COMPLETED':
      return { exitCode: 0, signal: null };
    case 'FAILED':
      if (sig) return { exitCode: null, signal: signalName(sig), failure: `${id} FAILED: killed by ${signalName(sig) ?? `signal ${sig}`}${j.reason && j.reason !== 'None' ? ` (${j.reason})` : ''}` };
      return { exitCode: code, signal: null, failure: `${id} FAILED: exited with code ${code ?? '?'}` };
    case 'TIMEOUT':
      return { exitCode: null, signal: null, failure: `time limit: ${id} reached the time limit of its compute target (TIMEOUT)` };
    case 'OUT_OF_MEMORY':
      return { exitCode: null, signal: null, failure: `out of memory: ${id} used more memory than it asked for (OUT_OF_MEMORY)` };
    case 'NODE_FAIL':
      return { exitCode: null, signal: null, failure: `node failure: the node${j.node ? ` ${j.node}` : ''} running ${id} failed (NODE_FAIL)` };
    case 'CANCELLED':
      return { exitCode: null, signal: null, canceled: true, failure: `${id} was cancelled` };
    case 'MISSING':
      return { exitCode: null, signal: null, failure: `${id} is no longer known to the cluster; its result is lost` };
    default:
      return { exitCode: code, signal: null, failure: `${id} ended ${j.state}${j.reason && j.reason !== 'None' ? ` (${j.reason})` : ''}` };
  }
}

/** Parses `squeue -h -O JobID:|,State:|,NodeList:|,Reason:|,exit_code:|` lines. */
export function parseSqueue(text: string): JobState[] {
  const out: JobState[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('|').map((x) => x.trim());
    if (f.length < 5 || !f[0]) continue;
    const exit = f[4] === '' ? null : Number(f[4]);
    out.push({ jobId: f[0], state: f[1].split(' ')[0], node: f[2] || null, reason: f[3] || null, exitStatus: Number.isFinite(exit) ? exit : null });
  }
  return out;
}

/** Parses `sacct -n -P -X -o JobIDRaw,State,ExitCode,NodeList` lines (ExitCode is code:signal). */
export function parseSacct(text: string): JobState[] {
  const out: JobState[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('|').map((x) => x.trim());
    if (f.length < 4 || !f[0]) continue;
    const [code, sig] = f[2].split(':').map(Number);
    out.push({ jobId: f[0], state: f[1].split(' ')[0], node: f[3] && f[3] !== 'None assigned' ? f[3] : null, reason: null, exitStatus: Number.isFinite(code) ? ((code & 0xff) << 8) | ((sig || 0) & 0x7f) : null });
  }
  return out;
}
