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

/** What gc decides on: every pipeline run and, per step run, its key, source and output folders. */
export interface GcRun {
  id: string;
  experiment: string;
  status: RunStatus;
  createdAt: number;
  steps: { id: string; status: RunStatus; reuseKey: string | null; reusedFrom: string | null; endedAt: number | null; outputs: Record<string, string>; outputsDeletedAt: number | null }[];
}

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

  /** Every pipeline run with its step runs, newest first (gc reads them all once). */
  gcRuns(): GcRun[] {
    const runs = this.sql(
      `SELECT r.id, e.name AS experiment, r.status, r.created_at FROM runs r JOIN experiments e ON e.id = r.experiment_id
        WHERE r.kind = 'pipeline' ORDER BY r.created_at DESC, r.id DESC`,
    ).all() as { id: string; experiment: string; status: RunStatus; created_at: number }[];
    const byId = new Map<string, GcRun>(runs.map((r) => [r.id, { id: r.id, experiment: r.experiment, status: r.status, createdAt: r.created_at, steps: [] }]));
    const steps = this.sql(`SELECT id, parent_id, status, reuse_key, reused_from, ended_at, outputs, outputs_deleted_at FROM runs WHERE kind = 'step' ORDER BY seq`).all() as {
      id: string; parent_id: string; status: RunStatus; reuse_key: string | null; reused_from: string | null; ended_at: number | null; outputs: string | null; outputs_deleted_at: number | null;
    }[];
    for (const s of steps) {
      byId.get(s.parent_id)?.steps.push({
        id: s.id, status: s.status, reuseKey: s.reuse_key, reusedFrom: s.reused_from, endedAt: s.ended_at,
        outputs: s.outputs ? JSON.parse(s.outputs) : {}, outputsDeletedAt: s.outputs_deleted_at,
      });
    }
    return [...byId.values()];
  }

  /** gc removed these step runs' outputs: they and the step runs that reused them are never reused again. */
  markOutputsDeleted(stepRunIds: string[], now: number): void {
    const mark = this.sql('UPDATE runs SET outputs_deleted_at = ? WHERE (id = ? OR reused_from = ?) AND outputs_deleted_at IS NULL');
    this.atomically(() => {
      for (const id of stepRunIds) mark.run(now, id, id);
    });
  }

  /** The datastore paths of every registered dataset version (gc never deletes what a version names). */
  datasetPaths(): { datastore: string; path: string }[] {
    const rows = this.sql('SELECT datastore, path, paths FROM datasets').all() as { datastore: string; path: string; paths: string | null }[];
    return rows.flatMap((r) => (r.paths ? (JSON.parse(r.paths) as { datastore: string; path: string }[]) : [{ datastore: r.datastore, path: r.path }]));
  }

  /** Every step run, oldest first (lineage reads their definitions and outputs). */
  allSteps(): ReuseStep[] {
    return (this.sql(`${SELECT_STEP} WHERE s.kind = 'step' ORDER BY s.created_at, s.seq`).all() as Row[]).map(toStep);
  }

  /** The step runs that took this one's outputs. */
  reusersOf(stepRunId: string): ReuseStep[] {
    return (this.sql(`${SELECT_STEP} WHERE s.reused_from = ?`).all(stepRunId) as Row[]).map(toStep);
  }

  /** The step runs of one pipeline run. */
  stepsOf(runId: string): ReuseStep[] {
    return (this.sql(`${SELECT_STEP} WHERE s.parent_id = ? ORDER BY s.seq`).all(runId) as Row[]).map(toStep);
  }
}
