// Runs, steps and experiments. All SQL about runs lives here; callers get domain records.
import type { RunStatus, TriggerKind } from '../../shared/constants.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import type { ParamValue } from '../../shared/params.js';
import type { ReusedFrom, RunBase, RunRecord, StepRecord, Trigger } from '../../shared/types.js';
import { Table, type DB } from './statements.js';
import { UNFINISHED_SQL } from './status-sql.js';
import { MetricStore } from './metric-store.js';
import { runFilterSql } from './run-queries.js';
import { RunSources } from './run-sources.js';
import { ShortIds } from './short-ids.js';
import { duration, iso, toRunBase, toRunState, type RunRow, type RunState } from './run-rows.js';

export type { RunRow } from './run-rows.js';

/** Columns a writer may set on a run row after creation. */
export interface RunPatch {
  status?: RunStatus;
  started_at?: number | null;
  ended_at?: number | null;
  error?: string | null;
  owner_pid?: number | null;
  owner_start?: string | null;
  pid?: number | null;
  pid_start?: string | null;
  reuse_key?: string | null;
  reused_from?: string | null;
  outputs?: string | null;
  output_hashes?: string | null;
  attempt?: number;
  exit_code?: number | null;
  cancel_requested?: number;
  job_id?: string | null;
  job_node?: string | null;
  job_state?: string | null;
  unclaimed_since?: number | null;
  /** JSON: the candidates with this key the reuse lookup skipped, and why (main/reuse/reuse-lookup.ts). */
  reuse_miss?: string | null;
  /**
   * Not a column: the JSON of the key's named parts, stored once per distinct key with `reuse_key`
   * (in the same transaction as the status write that carries it).
   */
  reuse_parts?: string;
}
const PATCHABLE = new Set<string>([
  'status', 'started_at', 'ended_at', 'error', 'owner_pid', 'owner_start', 'pid', 'pid_start',
  'reuse_key', 'reused_from', 'outputs', 'output_hashes', 'attempt', 'exit_code', 'cancel_requested',
  'job_id', 'job_node', 'job_state', 'unclaimed_since', 'reuse_miss',
]);


export interface NewStep {
  id: string;
  name: string;
  displayName: string;
  seq: number;
  definition: unknown;
}

export interface NewPipelineRun {
  id: string;
  experiment: string;
  pipelineName: string;
  pipelineFile: string | null;
  parameters: Record<string, ParamValue>;
  definition: unknown;
  trigger: Trigger;
  description?: string | null;
  tags?: Record<string, string | null>;
  owner: { pid: number; start: string } | null;
  steps: NewStep[];
}

type ReuseRow = Pick<RunRow, 'id' | 'parent_id' | 'reused_from' | 'outputs' | 'output_hashes' | 'exit_code'>;

/** A step run that may be reused: what the decision needs of its row. */
export interface ReuseCandidate {
  id: string;
  parentId: string | null;
  reusedFrom: string | null;
  outputs: Record<string, string> | null;
  outputHashes: Record<string, string> | null;
  exitCode: number | null;
}

const toCandidate = (r: ReuseRow): ReuseCandidate => ({
  id: r.id,
  parentId: r.parent_id,
  reusedFrom: r.reused_from,
  outputs: r.outputs ? JSON.parse(r.outputs) : null,
  outputHashes: r.output_hashes ? JSON.parse(r.output_hashes) : null,
  exitCode: r.exit_code,
});

export interface RunFilter {
  experiment?: string;
  status?: RunStatus;
  limit?: number;
  offset?: number;
}



const SELECT_RUN = `SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e ON e.id = r.experiment_id`;

export class RunStore extends Table {
  constructor(
    db: DB,
    private readonly metrics: MetricStore,
    private readonly shortIds = new ShortIds(db),
    private readonly sources = new RunSources(db),
  ) {
    super(db);
  }

  ensureExperiment(name: string): number {
    const row = this.sql('SELECT id FROM experiments WHERE name = ?').get(name) as { id: number } | undefined;
    if (row) return row.id;
    return Number(this.sql('INSERT INTO experiments (name, created_at) VALUES (?, ?)').run(name, Date.now()).lastInsertRowid);
  }

  listExperiments(): { name: string; createdAt: string; runs: number; lastRunAt: string | null }[] {
    const rows = this.sql(
        `SELECT e.name, e.created_at, COUNT(r.id) AS runs, MAX(r.created_at) AS last
         FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id AND r.kind = 'pipeline'
         GROUP BY e.id ORDER BY COALESCE(MAX(r.created_at), e.created_at) DESC`,
      )
      .all() as { name: string; created_at: number; runs: number; last: number | null }[];
    return rows.map((r) => ({ name: r.name, createdAt: iso(r.created_at)!, runs: r.runs, lastRunAt: iso(r.last) }));
  }

  /** Parent and step rows in one transaction: once this returns, the run exists. */
  createPipelineRun(run: NewPipelineRun): void {
    const insert = this.sql(`INSERT INTO runs (id, experiment_id, parent_id, kind, name, display_name, seq, status, trigger_kind, trigger_info,
         pipeline_file, parameters, definition, description, tags, created_at, owner_pid, owner_start)
       VALUES (@id, @experiment_id, @parent_id, @kind, @name, @display_name, @seq, 'NotStarted', @trigger_kind, @trigger_info,
         @pipeline_file, @parameters, @definition, @description, @tags, @created_at, @owner_pid, @owner_start)`,);
    // IMMEDIATE: it reads (the experiment) before it writes; a deferred transaction would fail
    // with SQLITE_BUSY instead of waiting when another connection writes meanwhile.
    this.atomically(() => {
      const experiment_id = this.ensureExperiment(run.experiment);
      const now = Date.now();
      const { kind, ...info } = run.trigger;
      insert.run({
        id: run.id, experiment_id, parent_id: null, kind: 'pipeline', name: run.pipelineName, display_name: run.pipelineName,
        seq: 0, trigger_kind: kind, trigger_info: JSON.stringify(info), pipeline_file: run.pipelineFile,
        parameters: JSON.stringify(run.parameters), definition: JSON.stringify(run.definition),
        description: run.description ?? null, tags: JSON.stringify(run.tags ?? {}), created_at: now,
        owner_pid: run.owner?.pid ?? null, owner_start: run.owner?.start ?? null,
      });
      for (const s of run.steps) {
        insert.run({
          id: s.id, experiment_id, parent_id: run.id, kind: 'step', name: s.name, display_name: s.displayName, seq: s.seq,
          trigger_kind: null, trigger_info: null, pipeline_file: null, parameters: null, definition: JSON.stringify(s.definition),
          description: null, tags: '{}', created_at: now, owner_pid: null, owner_start: null,
        });
      }
    });
  }

  /** The one way a run row changes after creation. */
  update(id: string, patch: RunPatch): void {
    if (patch.reuse_parts && patch.reuse_key) {
      this.sql('INSERT OR IGNORE INTO reuse_manifests (key, parts, created_at) VALUES (?, ?, ?)').run(patch.reuse_key, patch.reuse_parts, Date.now());
    }
    const cols = Object.keys(patch)
      .filter((k) => PATCHABLE.has(k) && patch[k as keyof RunPatch] !== undefined)
      .sort();
    if (!cols.length) return;
    this.sql(`UPDATE runs SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...Object.fromEntries(cols.map((c) => [c, patch[c as keyof RunPatch]])), id });
  }

  /** Several updates that must land together (e.g. a step and its run ending). */
  updateMany(patches: [string, RunPatch][]): void {
    this.db.transaction(() => {
      for (const [id, p] of patches) this.update(id, p);
    })();
  }

  /** Who drives a run and where it stands: what cancel and recovery decide on. */
  ownership(id: string): { status: RunStatus; ownerPid: number | null; ownerStart: string | null; kind: 'pipeline' | 'step'; parentId: string | null } | undefined {
    const r = this.row(id);
    return r && { status: r.status, ownerPid: r.owner_pid, ownerStart: r.owner_start, kind: r.kind, parentId: r.parent_id };
  }

  /** A pipeline run without its steps and metrics (what a submit answers with). */
  summary(id: string): RunBase {
    const r = this.row(id);
    if (!r || r.kind !== 'pipeline') throw new NotFoundError(`no pipeline run '${id}'`);
    return toRunBase(r, this.shortIds.of(r.id), this.sources.published(r.trigger_info));
  }

  /** A run as the engine sees it. */
  state(id: string): RunState | undefined {
    const r = this.row(id);
    return r && toRunState(r);
  }

  /** A pipeline run's step runs, in pipeline order, as the engine sees them. */
  stepStates(parentId: string): RunState[] {
    return this.stepRows(parentId).map(toRunState);
  }

  private row(id: string): RunRow | undefined {
    return this.sql(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow | undefined;
  }

  private stepRows(parentId: string): RunRow[] {
    return this.sql(`${SELECT_RUN} WHERE r.parent_id = ? ORDER BY r.seq`).all(parentId) as RunRow[];
  }

  /** Full id from a unique prefix (like git); throws a NotFoundError otherwise. */
  resolveId(idOrPrefix: string, o: { steps?: boolean } = {}): string {
    if (this.row(idOrPrefix)) return idOrPrefix;
    const rows = this.sql(`SELECT id FROM runs WHERE id >= ? AND id < ?${o.steps ? '' : ` AND kind = 'pipeline'`} LIMIT 2`)
      .all(idOrPrefix, idOrPrefix + '\uffff') as { id: string }[];
    if (rows.length === 1) return rows[0].id;
    if (rows.length > 1) throw new UserError(`run id prefix '${idOrPrefix}' is ambiguous`, 'ambiguous');
    throw new NotFoundError(`no run '${idOrPrefix}'`);
  }

  get(id: string): RunRecord {
    const row = this.row(id);
    if (!row) throw new NotFoundError(`no run '${id}'`);
    if (row.kind !== 'pipeline') throw new NotFoundError(`'${id}' is a step run; its pipeline run is '${row.parent_id}'`);
    return this.toRecord(row, this.stepRows(id));
  }

  list(filter: RunFilter = {}): RunRecord[] {
    const { where, args } = runFilterSql(filter);
    const rows = this.sql(`${SELECT_RUN} WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`)
      .all(...args, filter.limit ?? 50, filter.offset ?? 0) as RunRow[];
    return rows.map((r) => this.toRecord(r, this.stepRows(r.id)));
  }

  /** Completed steps with this reuse key, newest first (at most five); the rest is read only if asked for. */
  *reuseCandidates(key: string): Generator<ReuseCandidate> {
    // Only what a reuse decision reads; the newest first, alone: it is nearly always the one.
    const reuse = `SELECT id, parent_id, reused_from, outputs, output_hashes, exit_code FROM runs WHERE reuse_key = ? AND status = 'Completed' ORDER BY ended_at DESC`;
    const first = this.sql(`${reuse} LIMIT 1`).get(key) as ReuseRow | undefined;
    if (!first) return;
    yield toCandidate(first);
    for (const r of this.sql(`${reuse} LIMIT 4 OFFSET 1`).all(key) as ReuseRow[]) yield toCandidate(r);
  }

  /** Pipeline runs some process should be driving (not yet terminal). */
  unfinishedPipelineRuns(): RunState[] {
    return (this.sql(`${SELECT_RUN} WHERE r.kind = 'pipeline' AND r.status IN ${UNFINISHED_SQL}`)
      .all() as RunRow[]).map(toRunState);
  }

  requestCancel(id: string): void {
    this.update(id, { cancel_requested: 1 });
  }

  /** Which of these runs somebody asked to cancel (another process writes the flag). */
  cancelRequested(ids: string[]): string[] {
    if (!ids.length) return [];
    if (ids.length === 1) return this.sql('SELECT cancel_requested FROM runs WHERE id = ?', { pluck: true }).get(ids[0]) === 1 ? ids : [];
    const rows = this.sql(`SELECT id FROM runs WHERE cancel_requested = 1 AND id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** A pipeline run's name, description and tags as a person edits them (undefined: unchanged). */
  setInfo(id: string, o: { name?: string | null; description?: string | null; tags?: Record<string, string | null>; removeTags?: string[] }): void {
    this.atomically(() => {
      const row = this.sql("SELECT tags FROM runs WHERE id = ? AND kind = 'pipeline'").get(id) as { tags: string } | undefined;
      if (!row) throw new NotFoundError(`no pipeline run '${id}'`);
      const tags: Record<string, string | null> = Object.assign(Object.create(null), JSON.parse(row.tags), o.tags);
      for (const k of o.removeTags ?? []) delete tags[k];
      if (Object.keys(tags).length > 100) throw new UserError('a run holds at most 100 tags', 'invalid_input');
      this.sql('UPDATE runs SET run_name = COALESCE(@name, run_name), description = COALESCE(@description, description), tags = @tags WHERE id = @id')
        .run({ id, name: o.name === undefined ? null : o.name?.trim() || '', description: o.description === undefined ? null : (o.description ?? ''), tags: JSON.stringify(tags) });
      // '' is how "remove it" reaches the COALESCE above; stored as NULL.
      this.sql("UPDATE runs SET run_name = NULLIF(run_name, ''), description = NULLIF(description, '') WHERE id = ?").run(id);
    });
  }

  /** Sets (merges) tags of a run or a step run and removes `remove`; returns all its tags after the change. */
  mergeTags(id: string, tags: Record<string, string | null>, remove: readonly string[] = []): Record<string, string | null> {
    return this.atomically(() => {
      const row = this.sql('SELECT tags FROM runs WHERE id = ?').get(id) as { tags: string } | undefined;
      if (!row) throw new NotFoundError(`no run '${id}'`);
      const merged: Record<string, string | null> = { ...JSON.parse(row.tags), ...tags };
      for (const k of remove) delete merged[k];
      this.sql('UPDATE runs SET tags = ? WHERE id = ?').run(JSON.stringify(merged), id);
      return merged;
    });
  }

  private toRecord(row: RunRow, steps: RunRow[]): RunRecord {
    return {
      ...toRunBase(row, this.shortIds.of(row.id), this.sources.published(row.trigger_info)),
      steps: steps.map((s) => this.toStepRecord(s)),
      metrics: this.metrics.recordValues(row.id),
    };
  }

  /** The shortest prefix of a run id no other run row shares (git style). */
  shortId(id: string): string {
    return this.shortIds.of(id);
  }

  /** The pipeline run and step a reused step run took its outputs from. */
  reusedFromRun(stepRunId: string | null): ReusedFrom | null {
    if (!stepRunId) return null;
    const src = this.row(stepRunId);
    if (!src) return null;
    const runId = src.parent_id ?? src.id;
    return { id: runId, shortId: this.shortIds.of(runId), step: src.name };
  }

  private toStepRecord(s: RunRow): StepRecord {
    return {
      id: s.id,
      name: s.name,
      displayName: s.display_name ?? s.name,
      status: s.status,
      reusedFrom: s.reused_from,
      reusedFromRun: this.reusedFromRun(s.reused_from),
      durationMs: duration(s),
      outputs: s.outputs ? JSON.parse(s.outputs) : {},
      startedAt: iso(s.started_at),
      endedAt: iso(s.ended_at),
      attempt: s.attempt,
      exitCode: s.exit_code,
      error: s.error,
      metrics: this.metrics.recordValues(s.id),
      ...(s.job_id ? { job: { id: s.job_id, node: s.job_node, state: s.job_state } } : {}),
    };
  }
}
