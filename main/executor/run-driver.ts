// What drives submitted runs for a transport: the server's RunManager (a worker thread, many runs)
// or the CLI's ForegroundRuns (this thread, the one run `millrace run` waits for). The core's
// handlers only see this interface.
import { isTerminal } from '../../shared/constants.js';
import { NotFoundError } from '../../shared/errors.js';
import type { ApiEvent } from '../../shared/api/events.js';
import type { Workspace } from '../workspace/workspace.js';
import { isSameProcessAlive } from './process-identity.js';
import { recoverOrphanedRuns } from './recovery.js';
import type { SubmitOptions } from './submit.js';

export type RunListener = (e: ApiEvent) => void;
export type CancelOutcome = 'canceled' | 'requested' | 'already-ended';

export interface RunDriver {
  /** Validates and records the run (when this returns, it is in the store); bad input throws a UserError first. */
  submit(file: string, o: Omit<SubmitOptions, 'onEvent'>): { runId: string; experiment: string };
  /** Cancels a run: ours at once, another process's through the cancel flag it polls. */
  cancel(runId: string): CancelOutcome;
  subscribe(listener: RunListener): () => void;
}

/**
 * Cancel of a run this process does not drive: the flag its owner polls (within a tick), or, when
 * the owner is gone, recovery ends it here (killing what it left running).
 */
export function cancelElsewhere(ws: Workspace, runId: string): CancelOutcome {
  const state = ws.store.runs.ownership(runId);
  if (!state) throw new NotFoundError(`no run '${runId}'`);
  if (isTerminal(state.status)) return 'already-ended';
  ws.store.runs.requestCancel(runId);
  if (!isSameProcessAlive(state.ownerPid, state.ownerStart)) recoverOrphanedRuns(ws.store, runId);
  return 'requested';
}
