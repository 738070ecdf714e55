// The run driver of the stdio bridge (AZUREML.md section 10.4a): it never drives a run. Every submit
// is recorded unclaimed and handed to the workspace's serve or its detached runner, so a script that
// exits (or is killed) right after submitting loses nothing and stops nothing.
import type { Workspace } from '../workspace/workspace.js';
import { cancelElsewhere, type CancelOutcome, type RunDriver, type RunListener } from './run-driver.js';
import { submitUnclaimed } from './run-claim.js';
import type { SubmitOptions } from './submit.js';

export class UnclaimedRuns implements RunDriver {
  constructor(private readonly ws: Workspace) {}

  submit(file: string, o: Omit<SubmitOptions, 'onEvent'>): { runId: string; experiment: string } {
    return submitUnclaimed(this.ws, file, o);
  }

  cancel(runId: string): CancelOutcome {
    return cancelElsewhere(this.ws, runId);
  }

  /** Nothing runs here: status changes are read from the store (sdk/run). */
  subscribe(_listener: RunListener): () => void {
    return () => {};
  }
}
