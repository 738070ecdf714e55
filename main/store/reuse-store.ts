// What `runs why`, `gc` and `lineage` read about reuse: key manifests, step runs with their
// pipeline run, the candidate a step would have reused, and outputs marked deleted by gc.
import type { RunStatus } from '../../shared/constants.js';
import { Table } from './statements.js';

/** A step run as reuse explanations need it (JSON parsed, camelCase). */
export interface ReuseStep {
  id: string;
  name: string;
  runId: string;
  pipeline: string;
  experiment: string;
  status: RunStatus;
  createdAt: number;
  endedAt: number | null;
  /** The PlannedStep it ran with. */
  definition: Record<string, unknown>;
  /** The pipeline run's {spec, regenerateOutputs}. */
  runDefinition: Record<string, unknown>;
  reuseKey: string | null;
  reusedFrom: string | null;
  reuseMiss: { source: string; output: string; reason: 'deleted' | 'edited' }[];
  outputs: Record<string, string>;
  outputsDeletedAt: number | null;
}

interface Row {
  id: string;
  name: string;
  parent_id: string;
  pipeline: string;
  experiment: string;
  status: RunStatus;
  created_at: number;
  ended_at: number | null;
  definition: string | null;
  run_definition: string | null;
  reuse_key: string | null;
  reused_from: string | null;
  reuse_miss: string | null;
  outputs: string | null;
  outputs_deleted_at: number | null;
}

const SELECT_STEP = `SELECT s.id, s.name, s.parent_id, p.name AS pipeline, e.name AS experiment, s.status, s.created_at, s.ended_at,
    s.definition, p.definition AS run_definition, s.reuse_key, s.reused_from, s.reuse_miss, s.outputs, s.outputs_deleted_at
  FROM runs s JOIN runs p ON p.id = s.parent_id JOIN experiments e ON e.id = s.experiment_id`;

const toStep = (r: Row): ReuseStep => ({
  id: r.id, name: r.name, runId: r.parent_id, pipeline: r.pipeline, experiment: r.experiment, status: r.status,
  createdAt: r.created_at, endedAt: r.ended_at,
  definition: r.definition ? JSON.parse(r.definition) : {}, runDefinition: r.run_definition ? JSON.parse(r.run_definition) : {},
  reuseKey: r.reuse_key, reusedFrom: r.reused_from, reuseMiss: r.reuse_miss ? JSON.parse(r.reuse_miss) : [],
  outputs: r.outputs ? JSON.parse(r.outputs) : {}, outputsDeletedAt: r.outputs_deleted_at,
});

export class ReuseStore extends Table {
  /** The named parts of a reuse key (main/executor/reuse-key.ts), or undefined for a key recorded before manifests. */
  manifest(key: string): Record<string, unknown> | undefined {
    const text = this.sql('SELECT parts FROM reuse_manifests WHERE key = ?', { pluck: true }).get(key) as string | undefined;
    return text ? JSON.parse(text) : undefined;
  }

  step(stepRunId: string): ReuseStep | undefined {
    const r = this.sql(`${SELECT_STEP} WHERE s.id = ? AND s.kind = 'step'`).get(stepRunId) as Row | undefined;
    return r && toStep(r);
  }

  /** The step of this name in a pipeline run. */
  stepOf(runId: string, name: string): ReuseStep | undefined {
    const r = this.sql(`${SELECT_STEP} WHERE s.parent_id = ? AND s.name = ?`).get(runId, name) as Row | undefined;
    return r && toStep(r);
  }

  /** The newest Completed run of the same step of the same pipeline submitted before `s`: what it would have reused. */
  previousCompleted(s: ReuseStep): ReuseStep | undefined {
    const r = this.sql(
      `${SELECT_STEP} WHERE s.kind = 'step' AND s.name = ? AND p.name = ? AND s.status = 'Completed' AND s.parent_id <> ?
         AND s.created_at <= ? ORDER BY s.ended_at DESC LIMIT 1`,
    ).get(s.name, s.pipeline, s.runId, s.createdAt) as Row | undefined;
    return r && toStep(r);
  }
}
