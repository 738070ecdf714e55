// Records as the CLI (--json), the REST API and the UI see them (DESIGN.md sections 6 and 7).
import type { MetricKind, RunStatus } from './constants.js';
import type { ParamValue } from './params.js';

/** Where a published pipeline run came from (any trigger kind may carry it). */
export interface PublishedOrigin {
  /** The published pipeline that ran (a snapshot: rerun resubmits it). */
  publishedPipelineId?: string;
  /** The pipeline endpoint it was submitted through, when it was. */
  pipelineEndpoint?: string;
  /** A rerun: the run it repeats (the studio's Rerun). */
  rerunOf?: string;
}

/** What started a run (DESIGN.md section 8, AZUREML.md section 10.6). */
export type Trigger = PublishedOrigin &
  (
    | { kind: 'manual'; user?: string }
    | { kind: 'cli'; user?: string | null }
    | { kind: 'rest'; token: string }
    | { kind: 'schedule'; schedule: string; scheduleId: string; fireTime: string; caughtUp?: boolean }
    /** "Run now" from the studio: no fire time; `by` is who asked. */
    | { kind: 'schedule'; schedule: string; scheduleId: string; runNow: true; by: { kind: string; [key: string]: unknown } }
    | {
        kind: 'dataChange';
        schedule: string;
        scheduleId: string;
        /** The changed file (perFile), or the watched folder (batch). */
        path: string;
        /** The file's content hash (perFile), or the hash of the burst's files (batch). */
        hash: string;
        /** batch: how many files changed, and (up to 100) which. */
        files?: number;
        changes?: { path: string; hash: string }[];
      }
    | { kind: 'sdk'; script: string; user: string | null }
  );

/**
 * A run record's metrics by name: a metric logged once is its value (a list or a table: the last
 * one logged); a series (logged more than once) or rows, a bounded MetricSummary
 * (shared/metric-summary.ts) — never every point.
 */
export type MetricValues = Record<string, unknown>;

/** Where a reused step's outputs came from, as a link needs it. */
export interface ReusedFrom {
  /** The pipeline run. */
  id: string;
  shortId: string;
  /** The step (of that run) whose outputs were reused. */
  step: string;
}

export interface StepRecord {
  id: string;
  name: string;
  displayName: string;
  status: RunStatus;
  reusedFrom: string | null;
  /** The pipeline run and step that `reusedFrom` belongs to: where the studio links a reused step. */
  reusedFromRun: ReusedFrom | null;
  durationMs: number | null;
  outputs: Record<string, string>;
  startedAt: string | null;
  endedAt: string | null;
  attempt: number;
  exitCode: number | null;
  error: string | null;
  metrics: MetricValues;
  /** A step run on a Slurm target: its (latest attempt's) job, the node it ran on and Slurm's state word. */
  job?: { id: string; node: string | null; state: string | null };
}

/** The published pipeline a run ran (a REST, schedule or data-change submit), as a rerun needs it. */
export interface PublishedSource {
  /** The published pipeline's id: its immutable snapshot. */
  id: string;
  name: string;
  version: string;
  /** The pipeline endpoint it was submitted through, if any. */
  endpoint: string | null;
}

/** What every view of a pipeline run carries (lists add counts, the full record adds steps). */
export interface RunBase {
  id: string;
  /** The shortest prefix of `id` no other run or step run shares (at least 8 characters), as git abbreviates. */
  shortId: string;
  /** The run's own name (MLflow's run name), given in the studio; null until one is. */
  name: string | null;
  experiment: string;
  pipeline: string;
  pipelineFile: string | null;
  /** Set when it ran a published pipeline's snapshot (pipelineFile then lies under published/). */
  published: PublishedSource | null;
  status: RunStatus;
  parameters: Record<string, ParamValue>;
  trigger: Trigger | null;
  description: string | null;
  tags: Record<string, string | null>;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

export interface RunRecord extends RunBase {
  steps: StepRecord[];
  metrics: MetricValues;
}

export interface MetricPoint {
  name: string;
  kind: MetricKind;
  step: number | null;
  value: unknown;
  ts: number;
}
