// One attempt of a step, wherever it runs: a local process group (executor/step-process.ts) or a
// Slurm job (slurm/slurm-attempt.ts). The runner drives both through this one shape.
import type { StepExit } from '../executor/step-process.js';

export interface AttemptExit extends StepExit {
  /** Why it failed when the exit code does not say it (a Slurm state such as TIMEOUT). */
  failure?: string;
  /** The job was cancelled (on the cluster): the step ends Canceled. */
  canceled?: boolean;
  /** No longer followed (the run was handed to another process); the job goes on. */
  detached?: boolean;
}

/** Where the attempt runs, once it does: a local process, or a Slurm job. */
export type AttemptStart = { pid: number; pidStart: string | undefined } | { jobId: string };

export interface Attempt {
  /** Resolves once the process runs or the job is submitted (undefined if neither happened). */
  started: Promise<AttemptStart | undefined>;
  /** Resolves once the attempt is over: the process tree, or the job, is gone. */
  done: Promise<AttemptExit>;
  /** Stop it: SIGTERM then SIGKILL to the group, or scancel. */
  terminate(): void;
  /** Slurm only: stop following the job and let it run on (done resolves `detached`). */
  detach?(): void;
}
