// Every status change of a step run, as data: the runner fires an event, this table says where the
// step goes. Anything not in the table is an illegal transition: it throws under test and is
// logged (and not applied) otherwise. DESIGN.md section 1 holds the statuses.
import { isTerminal, type RunStatus } from '../../shared/constants.js';

export const STEP_EVENTS = [
  'ready', 'skip', 'reused', 'keyed', 'prepareFailed', 'setupFailed', 'start', 'retry', 'exited', 'succeeded', 'failed', 'cancel', 'internalError',
  'submit', 'resubmit', 'jobRunning', 'jobPending', 'reset', 'ownerLost',
] as const;
export type StepEvent = (typeof STEP_EVENTS)[number];

export interface Transition {
  from: RunStatus | 'active';
  on: StepEvent;
  to: RunStatus;
  /** When it happens; docs/engine.md reproduces this table. */
  why: string;
  /** Entering it starts the attempt's process (local) or submits its job (Slurm); nothing else does. */
  launches?: true;
}

/** `active` = any status that is not terminal. */
export const STEP_TRANSITIONS: readonly Transition[] = [
  { from: 'NotStarted', on: 'ready', to: 'Preparing', why: 'every upstream step ended Completed: hash code and inputs, look for a reusable run' },
  { from: 'NotStarted', on: 'skip', to: 'Canceled', why: 'the run was canceled, or a step it needs (or, without continue_on_step_failure, any step) failed' },
  { from: 'Preparing', on: 'reused', to: 'Completed', why: 'a Completed run with the same reuse key has its outputs intact' },
  { from: 'Preparing', on: 'keyed', to: 'Queued', why: 'no reusable run: wait for a slot of the compute target' },
  { from: 'Preparing', on: 'prepareFailed', to: 'Failed', why: 'the code or an input could not be hashed' },
  { from: 'Preparing', on: 'skip', to: 'Canceled', why: 'canceled or stopped while preparing' },
  { from: 'Queued', on: 'start', to: 'Running', why: 'a slot lease is held: attempt 1 starts its process', launches: true },
  { from: 'Queued', on: 'submit', to: 'Queued', why: 'a slot lease is held on a Slurm target: attempt 1 is submitted with sbatch and waits (PENDING) on the cluster', launches: true },
  { from: 'Queued', on: 'jobRunning', to: 'Running', why: "the attempt's Slurm job is RUNNING" },
  { from: 'Queued', on: 'resubmit', to: 'Queued', why: "attempt n's job ended before it was seen running, retries are left: attempt n+1 is submitted", launches: true },
  { from: 'Queued', on: 'exited', to: 'Finalizing', why: "the last attempt's job ended before a poll saw it running" },
  { from: 'Queued', on: 'cancel', to: 'Canceled', why: "canceled while the attempt's job was pending: the job is gone (scancel)" },
  { from: 'Queued', on: 'reset', to: 'NotStarted', why: 'the run is resumed by another process and no process or job of the step had started: it starts over' },
  { from: 'Preparing', on: 'reset', to: 'NotStarted', why: 'the run is resumed by another process while the step was preparing: it starts over' },
  { from: 'Queued', on: 'skip', to: 'Canceled', why: 'canceled or stopped while waiting for a slot' },
  { from: 'Queued', on: 'setupFailed', to: 'Failed', why: "the step's folders could not be made (e.g. the disk is full)" },
  { from: 'Running', on: 'retry', to: 'Running', why: 'attempt n failed and retries are left: attempt n+1 starts its process', launches: true },
  { from: 'Running', on: 'resubmit', to: 'Queued', why: "attempt n's Slurm job failed and retries are left: attempt n+1 is submitted", launches: true },
  { from: 'Running', on: 'jobPending', to: 'Queued', why: 'the cluster put the Slurm job back in its queue (requeued, e.g. after a node failure)' },
  { from: 'Running', on: 'exited', to: 'Finalizing', why: 'the last attempt ended: collect metrics, hash outputs' },
  { from: 'Running', on: 'cancel', to: 'Canceled', why: 'canceled: the process tree is gone' },
  { from: 'Finalizing', on: 'succeeded', to: 'Completed', why: 'exit code 0 and the results are recorded' },
  { from: 'Finalizing', on: 'failed', to: 'Failed', why: 'non-zero exit, signal, timeout, or the results could not be recorded' },
  { from: 'Finalizing', on: 'cancel', to: 'Canceled', why: 'canceled while finalizing' },
  { from: 'active', on: 'internalError', to: 'Failed', why: 'an engine bug: the step is failed with the error rather than left active' },
  { from: 'active', on: 'ownerLost', to: 'Failed', why: "the millrace process running the step's local process is gone (recovery kills what is left of it)" },
];

export class IllegalTransition extends Error {
  override readonly name = 'IllegalTransition';
}

/** The row of `event` in status `from`, or an IllegalTransition. */
export function transition(from: RunStatus, event: StepEvent): Transition {
  const t = STEP_TRANSITIONS.find((x) => x.on === event && (x.from === from || (x.from === 'active' && !isTerminal(from))));
  if (!t) throw new IllegalTransition(`illegal step transition: '${event}' in status ${from}`);
  return t;
}

/** Where `event` takes a step in `from`, or an IllegalTransition. */
export function nextStatus(from: RunStatus, event: StepEvent): RunStatus {
  return transition(from, event).to;
}

/** Strict mode (tests, MILLRACE_STRICT=1): an illegal transition or a write after close throws. */
export const strictStates = (): boolean => !!process.env.VITEST || process.env.MILLRACE_STRICT === '1';
