// A row of the runs table and the parts of a record every view of a run shares.
import type { RunStatus, TriggerKind } from '../../shared/constants.js';
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
