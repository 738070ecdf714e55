// One run as the detail page shows it: the record, the pipeline it ran (graph, step definitions,
// invocations: as recorded with the run, so a published snapshot or an edited file changes nothing),
// and live status patches.
import type { ApiClient } from '../../../shared/api/client.js';
import type { ArgsIn } from '../../../shared/api/contract.js';
import type { ApiEvent } from '../../../shared/api/events.js';
import type { RunPipeline } from '../../../shared/api/records.js';
import { isTerminal } from '../../../shared/constants.js';
import type { RunRecord, StepRecord } from '../../../shared/types.js';
import { messageOf } from '../lib/api/api.js';

export type RerunChanges = Omit<ArgsIn<'runs/rerun'>, 'id'>;

export class RunView {
  run = $state.raw<RunRecord | null>(null);
  /** The pipeline it ran; null when it could not be read. */
  pipeline = $state.raw<RunPipeline | null>(null);
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

  /** The step a failed run failed at (the first one, in pipeline order). */
  get failedStep(): StepRecord | undefined {
    return this.run?.status === 'Failed' ? this.run.steps.find((s) => s.status === 'Failed') : undefined;
  }

  /** The graph's edges, as the run recorded its pipeline. */
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
      if (first) {
        try {
          this.pipeline = await this.client.call('runs/pipeline', { id: run.id });
        } catch {
          this.pipeline = null; // the graph then shows its steps without edges
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
        : [...run.steps, { id: e.stepRunId, name: e.step, displayName: e.step, status: e.status, reusedFrom: e.reusedFrom ?? null, reusedFromRun: null, durationMs: null, outputs: {}, startedAt: null, endedAt: null, attempt: e.attempt ?? 1, exitCode: null, error: e.error ?? null, metrics: {} }];
      this.run = { ...run, steps };
    }
    clearTimeout(this.refetchTimer);
    this.refetchTimer = setTimeout(() => void this.load(), 250);
  }

  async cancel(): Promise<void> {
    this.run = await this.client.call('runs/cancel', { id: this.id });
  }

  /**
   * The same pipeline again — its file, or the same published snapshot through the same endpoint and
   * version — with the same parameters, or the changed ones.
   */
  rerun(changes: RerunChanges = {}): Promise<RunRecord> {
    return this.client.call('runs/rerun', { id: this.id, ...changes });
  }

  async update(info: Omit<ArgsIn<'runs/update'>, 'id'>): Promise<void> {
    this.run = await this.client.call('runs/update', { id: this.id, ...info });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.refetchTimer);
  }
}
