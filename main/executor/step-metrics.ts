// A running step's metrics file, ingested into the store as it grows (every watch tick) and once
// more when the step ends; tags go to the step or, for `run.parent`, to the pipeline run.
import type { Store } from '../store/store.js';
import { MetricsReader } from './metrics-reader.js';
import type { RunLayout } from './run-layout.js';

export class StepMetrics {
  private readonly reader: MetricsReader;

  constructor(
    private readonly store: Store,
    private readonly layout: RunLayout,
    private readonly stepId: string,
    private readonly stepRunId: string,
  ) {
    this.reader = new MetricsReader(layout.metricsFile(stepId), stepRunId, layout.runId);
  }

  /** Why the step reported itself failed (run.fail), once it has. */
  failed?: string;

  /** `final`: the step ended, so a last line without a newline counts too. */
  ingest(final: boolean): { failed?: string } {
    const batch = this.reader.read(final);
    if (batch.failed) this.failed = batch.failed;
    this.store.metrics.insert(batch.metrics);
    for (const t of batch.tags) this.store.runs.mergeTags(t.parent ? this.layout.runId : this.stepRunId, { [t.key]: t.value });
    for (const m of batch.problems) this.layout.note(this.stepId, m);
    return { failed: this.failed };
  }
}
