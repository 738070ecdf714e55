// Records as the CLI (--json), the REST API and the UI see them (DESIGN.md sections 6 and 7).
import type { DatasetKind, MetricKind, RunStatus, TriggerKind } from './constants.js';
import type { ParamValue } from './params.js';

export interface Trigger {
  kind: TriggerKind;
  /** e.g. {token} for rest, {schedule, fireTime} for schedule, {path, hash} for dataChange */
  [key: string]: unknown;
}

/**
 * A run record's metrics by name: a metric logged once is its value (a list or a table: the last
 * one logged); a series (logged more than once) or rows, a bounded MetricSummary
 * (shared/metric-summary.ts) — never every point.
 */
export type MetricValues = Record<string, unknown>;

export interface StepRecord {
  id: string;
  name: string;
  displayName: string;
  status: RunStatus;
  reusedFrom: string | null;
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

/** What every view of a pipeline run carries (lists add counts, the full record adds steps). */
export interface RunBase {
  id: string;
  experiment: string;
  pipeline: string;
  pipelineFile: string | null;
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
