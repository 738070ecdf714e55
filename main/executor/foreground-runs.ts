// The run driver of `millrace run`: runs are driven on this thread, in this process, and the
// command waits for the one it submitted. (A server uses RunManager: a worker thread, many runs.)
import type { RunStatus } from '../../shared/constants.js';
import { NotFoundError } from '../../shared/errors.js';
import type { ApiEvent } from '../../shared/api/events.js';
import type { Workspace } from '../workspace/workspace.js';
import { cancelElsewhere, type CancelOutcome, type RunDriver, type RunListener } from './run-driver.js';
import type { PipelineRunner } from './runner.js';
import { submitRun, type SubmitOptions } from './submit.js';

export class ForegroundRuns implements RunDriver {
  private readonly runners = new Map<string, PipelineRunner>();
  private readonly listeners = new Set<RunListener>();

  constructor(
    private readonly ws: Workspace,
    /** Trouble while a run goes on (the disk is full): said to the user, the run decides. */
    private readonly onProblem?: (message: string) => void,
  ) {}

  submit(file: string, o: Omit<SubmitOptions, 'onEvent'>): { runId: string; experiment: string } {
    const { runId, runner, experiment } = submitRun(this.ws, file, { ...o, onEvent: (e) => this.emit(e), onProblem: this.onProblem });
    this.runners.set(runId, runner);
    this.emit({ type: 'run', runId, status: 'NotStarted' });
    return { runId, experiment };
  }

  /** Drives a run submitted here to its end; resolves with its final status once it is recorded. */
  async drive(runId: string): Promise<RunStatus> {
    const runner = this.runners.get(runId);
    if (!runner) throw new NotFoundError(`run ${runId} was not submitted to this process`);
    try {
      return await runner.run();
    } finally {
      this.runners.delete(runId);
    }
  }

  cancel(runId: string): CancelOutcome {
    const runner = this.runners.get(runId);
    if (!runner) return cancelElsewhere(this.ws, runId);
    runner.cancel();
    return 'canceled';
  }

  subscribe(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private emit(e: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }
}
