// One run as the detail page shows it: the record, its pipeline's graph, and live status patches.
import type { ApiClient } from '../../../shared/api/client.js';
import type { ApiEvent } from '../../../shared/api/events.js';
import type { PipelineFileDetail } from '../../../shared/api/records.js';
import { isTerminal } from '../../../shared/constants.js';
import type { RunRecord, StepRecord } from '../../../shared/types.js';
import { messageOf } from '../lib/api/api.js';

export class RunView {
  run = $state.raw<RunRecord | null>(null);
  /** The pipeline file it ran (for the graph and step definitions); null when gone or unknown. */
  pipeline = $state.raw<PipelineFileDetail | null>(null);
  error = $state<string | null>(null);
  loading = $state(true);
  /** Bumped whenever a refetch brought new data (metrics, outputs may have changed). */
  version = $state(0);

  private refetchTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly client: ApiClient,
    readonly id: string,
  ) {}

  get active(): boolean {
    return !!this.run && !isTerminal(this.run.status);
  }

  step(name: string | undefined): StepRecord | undefined {
    return this.run?.steps.find((s) => s.name === name);
  }

  /** The graph's edges: from the pipeline file when its steps still match the run's, else none. */
  get dependsOn(): Record<string, string[]> {
    return this.pipeline?.dependsOn ?? {};
  }

  async load(): Promise<void> {
    try {
      const run = await this.client.call('runs/get', { id: this.id });
      if (this.disposed) return;
      const first = !this.run;
      this.run = run;
      this.error = null;
      this.version++;
      if (first && run.pipelineFile) {
        try {
          this.pipeline = await this.client.call('pipelines/get', { file: run.pipelineFile });
        } catch {
          this.pipeline = null; // the file was moved or deleted since: the graph shows steps without edges
        }
      }
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.loading = false;
    }
  }

  /** Patch statuses at once from the event; refetch shortly after for durations, outputs, metrics. */
  onEvent(e: ApiEvent): void {
    const run = this.run;
    if (!run || e.runId !== run.id) return;
    if (e.type === 'run') this.run = { ...run, status: e.status, error: e.error ?? run.error };
    else {
      const steps = run.steps.some((s) => s.name === e.step)
        ? run.steps.map((s) => (s.name === e.step ? { ...s, id: e.stepRunId, status: e.status, reusedFrom: e.reusedFrom ?? s.reusedFrom, error: e.error ?? s.error } : s))
        : [...run.steps, { id: e.stepRunId, name: e.step, displayName: e.step, status: e.status, reusedFrom: e.reusedFrom ?? null, durationMs: null, outputs: {}, startedAt: null, endedAt: null, attempt: e.attempt ?? 1, exitCode: null, error: e.error ?? null, metrics: {} }];
      this.run = { ...run, steps };
    }
    clearTimeout(this.refetchTimer);
    this.refetchTimer = setTimeout(() => void this.load(), 250);
  }

  async cancel(): Promise<void> {
    this.run = await this.client.call('runs/cancel', { id: this.id });
  }

  /** Same pipeline file, same parameters: a new run. */
  async rerun(parameters?: RunRecord['parameters']): Promise<RunRecord> {
    const run = this.run;
    if (!run?.pipelineFile) throw new Error('this run has no pipeline file in the workspace to run again');
    return this.client.call('runs/submit', { file: run.pipelineFile, experiment: run.experiment, parameters: parameters ?? run.parameters });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.refetchTimer);
  }
}
