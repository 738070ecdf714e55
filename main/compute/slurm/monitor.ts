// Follows every Slurm job this thread waits on with ONE squeue call per tick (never one call
// per job): a job's watcher hears each change of its state or node. A job squeue stops listing
// (it ended longer ago than the controller's MinJobAge, or the controller lost it) is looked up
// in accounting (sacct) once, else reported MISSING. The timer keeps the process alive while
// any job is watched: a `millrace run` waiting on a cluster must not exit.
import { slurm, SlurmCommandError } from './commands.js';
import { parseSacct, parseSqueue, phaseOf, type JobState } from './job-states.js';

export type JobListener = (s: JobState) => void;

/** Polls that may miss a listed job before it counts as gone (a just-submitted job shows at once). */
const MISSES_BEFORE_LOOKUP = 3;

interface Watch {
  listener: JobListener;
  last?: string;
  misses: number;
}

export const pollIntervalMs = (): number => Number(process.env.MILLRACE_SLURM_POLL_MS) || 1000;

export class SlurmMonitor {
  private readonly watches = new Map<string, Watch>();
  private timer?: NodeJS.Timeout;
  private polling = false;
  private outage?: string;

  constructor(
    private readonly everyMs = pollIntervalMs(),
    private readonly onProblem: (m: string) => void = (m) => void process.stderr.write(`millrace: ${m}\n`),
  ) {}

  /** Follows `jobId` until it ends (its listener hears the end) or the disposer is called. */
  watch(jobId: string, listener: JobListener): () => void {
    const w: Watch = { listener, misses: 0 };
    this.watches.set(jobId, w);
    this.schedule();
    return () => {
      if (this.watches.get(jobId) === w) this.watches.delete(jobId);
      if (!this.watches.size) this.stop();
    };
  }

  /** Polls now rather than at the next tick (e.g. right after a cancel). */
  pollSoon(): void {
    if (this.watches.size && !this.polling) {
      this.stop();
      this.timer = setTimeout(() => void this.poll(), 50);
    }
  }

  get watching(): number {
    return this.watches.size;
  }

  private schedule(): void {
    if (this.timer || this.polling || !this.watches.size) return;
    this.timer = setTimeout(() => void this.poll(), this.everyMs);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    try {
      const ids = [...this.watches.keys()];
      if (ids.length) await this.pollOnce(ids);
    } finally {
      this.polling = false;
      this.schedule();
    }
  }

  private async pollOnce(ids: string[]): Promise<void> {
    let seen: JobState[];
    try {
      seen = parseSqueue(await slurm('squeue', ['-h', '-t', 'all', '-j', ids.join(','), '-O', 'JobID:|,State:|,NodeList:|,Reason:|,exit_code:|']));
      if (this.outage) this.onProblem(`the Slurm controller answers again (${this.outage} before)`);
      this.outage = undefined;
    } catch (e) {
      // squeue refuses a list in which it knows no job at all: every one of them is unknown.
      if (e instanceof SlurmCommandError && /invalid job id/i.test(e.message)) seen = [];
      else {
        if (!this.outage) this.onProblem(`cannot poll the Slurm jobs (${(e as Error).message}); retrying`);
        this.outage = (e as Error).message;
        return;
      }
    }
    const byId = new Map(seen.map((j) => [j.jobId, j]));
    const lost: string[] = [];
    for (const id of ids) {
      const j = byId.get(id);
      if (j) this.deliver(j);
      else if (++this.watches.get(id)!.misses >= MISSES_BEFORE_LOOKUP) lost.push(id);
    }
    if (lost.length) await this.lookUp(lost);
  }

  /** Jobs squeue no longer lists: accounting may know how they ended. */
  private async lookUp(ids: string[]): Promise<void> {
    let found: JobState[] = [];
    try {
      found = parseSacct(await slurm('sacct', ['-n', '-P', '-X', '-j', ids.join(','), '-o', 'JobIDRaw,State,ExitCode,NodeList']));
    } catch {
      /* no accounting on this cluster */
    }
    const byId = new Map(found.filter((j) => phaseOf(j.state) === 'ended').map((j) => [j.jobId, j]));
    for (const id of ids) this.deliver(byId.get(id) ?? { jobId: id, state: 'MISSING', node: null, reason: null, exitStatus: null });
  }

  private deliver(j: JobState): void {
    const w = this.watches.get(j.jobId);
    if (!w) return;
    w.misses = 0;
    const key = `${j.state}|${j.node}`;
    if (phaseOf(j.state) === 'ended') this.watches.delete(j.jobId);
    else if (key === w.last) return;
    w.last = key;
    try {
      w.listener(j);
    } catch (e) {
      this.onProblem(`internal: a Slurm job listener failed: ${(e as Error).message}`);
    }
  }
}

let shared: SlurmMonitor | undefined;

/** The monitor of this thread: one poll covers every job of every run it drives. */
export function slurmMonitor(): SlurmMonitor {
  return (shared ??= new SlurmMonitor());
}
