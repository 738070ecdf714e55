// A row of the runs table and the parts of a record every view of a run shares.
import type { RunStatus, TriggerKind } from '../../shared/constants.js';
import type { ParamValue } from '../../shared/params.js';
import type { PublishedSource, RunBase } from '../../shared/types.js';

export const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString());
export const duration = (r: { started_at: number | null; ended_at: number | null }): number | null =>
  r.started_at == null ? null : (r.ended_at ?? Date.now()) - r.started_at;

export interface RunRow {
  id: string;
  experiment_id: number;
  experiment: string;
  parent_id: string | null;
  kind: 'pipeline' | 'step';
  name: string;
  display_name: string | null;
  seq: number;
  status: RunStatus;
  trigger_kind: TriggerKind | null;
  trigger_info: string | null;
  pipeline_file: string | null;
  parameters: string | null;
  definition: string | null;
  description: string | null;
  tags: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
  owner_pid: number | null;
  owner_start: string | null;
  pid: number | null;
  pid_start: string | null;
  reuse_key: string | null;
  reused_from: string | null;
  outputs: string | null;
  output_hashes: string | null;
  attempt: number;
  exit_code: number | null;
  cancel_requested: number;
  job_id: string | null;
  job_node: string | null;
  job_state: string | null;
  unclaimed_since: number | null;
  run_name: string | null;
  reuse_miss: string | null;
  outputs_deleted_at: number | null;
}

/** The fields every view of a pipeline run shares (lists and the full record). */
export function toRunBase(row: RunRow, shortId: string, published: PublishedSource | null): RunBase {
  const info = row.trigger_info ? JSON.parse(row.trigger_info) : {};
  return {
    id: row.id,
    shortId,
    name: row.run_name,
    experiment: row.experiment,
    pipeline: row.name,
    pipelineFile: row.pipeline_file,
    published,
    status: row.status,
    parameters: row.parameters ? JSON.parse(row.parameters) : {},
    trigger: row.trigger_kind ? { kind: row.trigger_kind, ...info } : null,
    description: row.description,
    tags: JSON.parse(row.tags),
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    durationMs: duration(row),
    error: row.error,
  };
}

/**
 * A run as the engine sees it (the runner, recovery, resume, claims): every column, camelCase,
 * JSON parsed. The records of shared/ are what everybody else gets.
 */
export interface RunState {
  id: string;
  kind: 'pipeline' | 'step';
  parentId: string | null;
  name: string;
  displayName: string;
  experiment: string;
  seq: number;
  status: RunStatus;
  pipelineFile: string | null;
  parameters: Record<string, ParamValue> | null;
  /** The pipeline's {spec, regenerateOutputs} (a pipeline run) or the PlannedStep (a step run). */
  definition: unknown;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  ownerPid: number | null;
  ownerStart: string | null;
  pid: number | null;
  pidStart: string | null;
  reuseKey: string | null;
  reusedFrom: string | null;
  outputs: Record<string, string> | null;
  outputHashes: Record<string, string> | null;
  attempt: number;
  exitCode: number | null;
  cancelRequested: boolean;
  jobId: string | null;
  jobNode: string | null;
  jobState: string | null;
  unclaimedSince: number | null;
}

const json = <T>(text: string | null): T | null => (text == null ? null : (JSON.parse(text) as T));

export function toRunState(r: RunRow): RunState {
  return {
    id: r.id, kind: r.kind, parentId: r.parent_id, name: r.name, displayName: r.display_name ?? r.name, experiment: r.experiment,
    seq: r.seq, status: r.status, pipelineFile: r.pipeline_file, parameters: json(r.parameters), definition: json(r.definition),
    createdAt: r.created_at, startedAt: r.started_at, endedAt: r.ended_at, error: r.error,
    ownerPid: r.owner_pid, ownerStart: r.owner_start, pid: r.pid, pidStart: r.pid_start,
    reuseKey: r.reuse_key, reusedFrom: r.reused_from, outputs: json(r.outputs), outputHashes: json(r.output_hashes),
    attempt: r.attempt, exitCode: r.exit_code, cancelRequested: r.cancel_requested === 1,
    jobId: r.job_id, jobNode: r.job_node, jobState: r.job_state, unclaimedSince: r.unclaimed_since,
  };
}
