// Records as the CLI (--json), the REST API and the UI see them (DESIGN.md sections 6 and 7).
import type { DatasetKind, MetricKind, RunStatus, TriggerKind } from './constants.js';
import type { ParamValue } from './params.js';

export interface Trigger {
  kind: TriggerKind;
  /** e.g. {token} for rest, {schedule, fireTime} for schedule, {path, hash} for dataChange */
  [key: string]: unknown;
}

/** Azure get_metrics() semantics: a value logged once is that value, a series is a list. */
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

export interface DatasetRecord {
  name: string;
  version: number;
  datastore: string;
  path: string;
  kind: DatasetKind;
  description: string | null;
  createdAt: string;
}
