// One step attempt as one Slurm job: submitted with sbatch (or re-attached by its id after the
// millrace process that submitted it went away), followed by the thread's monitor, cancelled with
// scancel (also when the step's `timeout`, counted from the job's start, runs out).
import { appendFileSync } from 'node:fs';
import type { Attempt, AttemptExit, AttemptStart } from '../attempt.js';
import type { SlurmTarget } from '../targets.js';
import { slurm } from './commands.js';
import { outcomeOf, phaseOf, type JobState } from './job-states.js';
import { slurmMonitor } from './monitor.js';
import { parseJobId, sbatchArgs, writeJobScript, type SbatchJob } from './sbatch.js';

export interface SlurmAttemptOptions extends Omit<SbatchJob, 'target'> {
  target: SlurmTarget;
  env: NodeJS.ProcessEnv;
  header?: string;
  timeoutMs: number | null;
  /** Each state or node change of the job (PENDING, RUNNING, ... and the final one). */
  onState(s: JobState): void;
  /** Follow this job instead of submitting one (re-attach). */
  jobId?: string;
}

/** How long a cancelled job may take to be reported gone before the attempt stops waiting. */
const CANCEL_CONFIRM_MS = 120_000;
const SCANCEL_RETRY_MS = 2000;

export function startSlurmAttempt(o: SlurmAttemptOptions): Attempt {
  let jobId = o.jobId;
  let wantStop = false;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let unwatch: (() => void) | undefined;
  let resolveDone!: (e: AttemptExit) => void;
  const done = new Promise<AttemptExit>((r) => (resolveDone = r));
  let ended = false;
  const end = (e: AttemptExit) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    clearTimeout(giveUp);
    clearTimeout(retry);
    unwatch?.();
    resolveDone(e);
  };

  const cancelJob = () => {
    if (!jobId || ended) return;
    giveUp ??= setTimeout(() => end({ exitCode: null, signal: null, timedOut, canceled: !timedOut, failure: `Slurm job ${jobId} did not confirm its end after scancel` }), CANCEL_CONFIRM_MS);
    slurm('scancel', [jobId]).catch((e: Error) => {
      if (ended) return;
      appendFileSync(o.logFile, `[millrace] scancel ${jobId} failed: ${e.message}; retrying\n`);
      retry = setTimeout(cancelJob, SCANCEL_RETRY_MS);
    });
    slurmMonitor().pollSoon();
  };

  const onState = (s: JobState) => {
    o.onState(s);
    const phase = phaseOf(s.state);
    if (phase === 'running' && o.timeoutMs != null && !timer) {
      timer = setTimeout(() => {
        timedOut = true;
        cancelJob();
      }, o.timeoutMs);
    }
    if (phase !== 'ended') return;
    const out = outcomeOf(s);
    // Our own scancel for a timeout is a timeout, not a cancel.
    if (timedOut && s.state === 'CANCELLED') end({ exitCode: null, signal: null, timedOut: true });
    else end({ exitCode: out.exitCode, signal: out.signal, timedOut: false, failure: out.failure, canceled: out.canceled });
  };

  const follow = (id: string) => {
    jobId = id;
    if (ended) return; // detached while sbatch ran: the job goes on, followed by the next owner
    unwatch = slurmMonitor().watch(id, onState);
    if (wantStop) cancelJob();
  };

  const submit = async (): Promise<AttemptStart | undefined> => {
    if (o.header) appendFileSync(o.logFile, o.header);
    let out: string;
    try {
      writeJobScript(o.script);
      out = await slurm('sbatch', sbatchArgs(o), o.env);
    } catch (e) {
      end({ exitCode: null, signal: null, timedOut: false, spawnError: `sbatch failed: ${(e as Error).message}` });
      return undefined;
    }
    const id = parseJobId(out);
    if (!id) {
      end({ exitCode: null, signal: null, timedOut: false, spawnError: `sbatch printed no job id: ${JSON.stringify(out.slice(0, 200))}` });
      return undefined;
    }
    appendFileSync(o.logFile, `[millrace] submitted as Slurm job ${id}\n`);
    follow(id);
    return { jobId: id };
  };

  let started: Promise<AttemptStart | undefined>;
  if (jobId) {
    follow(jobId);
    started = Promise.resolve({ jobId });
  } else started = submit();

  return {
    started,
    done,
    terminate: () => {
      wantStop = true;
      cancelJob();
    },
    detach: () => end({ exitCode: null, signal: null, timedOut: false, detached: true }),
  };
}
