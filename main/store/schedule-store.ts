// Schedules, their fire records, handled data changes and the workspace owner row (migration 0003).
import { randomUUID } from 'node:crypto';
import { NotFoundError, UserError } from '../../shared/errors.js';
import type { DataChangeSpec, Recurrence, ScheduleKind, ScheduleRunRecord, ScheduleTarget } from '../../shared/schedules.js';
import { Table, type DB } from './statements.js';
import { ShortIds } from './short-ids.js';
import { shown } from '../../shared/safe-text.js';

const flag = (b: boolean | null): number | null => (b == null ? null : b ? 1 : 0);

export interface StoredSchedule {
  id: string;
  name: string;
  kind: ScheduleKind;
  target: ScheduleTarget;
  experiment: string;
  parameters: Record<string, string | number | boolean>;
  recurrence: Recurrence | null;
  dataChange: DataChangeSpec | null;
  enabled: boolean;
  catchUp: boolean;
  description: string | null;
  continueOnStepFailure: boolean | null;
  pollingInterval: number | null;
  /** Epoch ms of the last fire time handled. */
  lastFired: number | null;
  /** Epoch ms of creation or the last enable. */
  enabledAt: number;
  createdAt: number;
  updatedAt: number;
}

export type NewSchedule = Omit<StoredSchedule, 'id' | 'lastFired' | 'enabledAt' | 'createdAt' | 'updatedAt'>;

interface Row {
  id: string;
  name: string;
  kind: ScheduleKind;
  target: string;
  experiment: string;
  parameters: string;
  recurrence: string | null;
  data_change: string | null;
  enabled: number;
  catch_up: number;
  last_fired: number | null;
  enabled_at: number;
  created_at: number;
  updated_at: number;
  description: string | null;
  continue_on_step_failure: number | null;
  polling_interval: number | null;
}

const toSchedule = (r: Row): StoredSchedule => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  target: JSON.parse(r.target),
  experiment: r.experiment,
  parameters: JSON.parse(r.parameters),
  recurrence: r.recurrence ? JSON.parse(r.recurrence) : null,
  dataChange: r.data_change ? JSON.parse(r.data_change) : null,
  enabled: r.enabled === 1,
  catchUp: r.catch_up === 1,
  description: r.description,
  continueOnStepFailure: r.continue_on_step_failure == null ? null : r.continue_on_step_failure === 1,
  pollingInterval: r.polling_interval,
  lastFired: r.last_fired,
  enabledAt: r.enabled_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface OwnerRow {
  pid: number;
  start: string;
  description: string;
  acquiredAt: number;
  /** Where it serves the API and studio (set once it listens). */
  url?: string | null;
}

export class ScheduleStore extends Table {

  private readonly shortIds: ShortIds;

  constructor(db: DB) {
    super(db);
    this.shortIds = new ShortIds(db);
  }

  /**
   * A new schedule with a UUID it keeps for life. A name another schedule has is a conflict unless
   * `allowDuplicateName` (the SDK's Schedule.create passes it): names need not be unique.
   */
  create(s: NewSchedule, now = Date.now(), o: { allowDuplicateName?: boolean } = {}): StoredSchedule {
    const id = randomUUID();
    this.atomically(() => {
      if (!o.allowDuplicateName && this.idsNamed(s.name).length) throw new UserError(`a schedule named '${shown(s.name)}' already exists`, 'conflict');
      this.sql(
          `INSERT INTO schedules (id, name, kind, target, experiment, parameters, recurrence, data_change, enabled, catch_up, last_fired, enabled_at, created_at, updated_at,
             description, continue_on_step_failure, polling_interval)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, s.name, s.kind, JSON.stringify(s.target), s.experiment, JSON.stringify(s.parameters), s.recurrence ? JSON.stringify(s.recurrence) : null,
          s.dataChange ? JSON.stringify(s.dataChange) : null, s.enabled ? 1 : 0, s.catchUp ? 1 : 0, now, now, now,
          s.description, flag(s.continueOnStepFailure), s.pollingInterval);
    });
    return this.get(id);
  }

  /**
   * Replaces a schedule's definition, its name included (the id and kind stay). The clock restarts at `now` as on
   * enabling, so a changed recurrence fires no slot in the past; a data-change schedule keeps its handled-file records.
   */
  update(key: string, s: NewSchedule, now = Date.now()): StoredSchedule {
    const cur = this.get(key);
    this.sql(
        `UPDATE schedules SET name = ?, target = ?, experiment = ?, parameters = ?, recurrence = ?, data_change = ?, enabled = ?, catch_up = ?,
           description = ?, continue_on_step_failure = ?, polling_interval = ?, enabled_at = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?`,
      )
      .run(s.name, JSON.stringify(s.target), s.experiment, JSON.stringify(s.parameters), s.recurrence ? JSON.stringify(s.recurrence) : null,
        s.dataChange ? JSON.stringify(s.dataChange) : null, s.enabled ? 1 : 0, s.catchUp ? 1 : 0,
        s.description, flag(s.continueOnStepFailure), s.pollingInterval, now, now, cur.id);
    return this.get(cur.id);
  }

  private idsNamed(name: string): string[] {
    return this.sql('SELECT id FROM schedules WHERE name = ? ORDER BY created_at, id', { pluck: true }).all(name) as string[];
  }

  /** By id, else by a name no other schedule has (several: 409 ambiguous_name listing their ids). */
  get(key: string): StoredSchedule {
    const byId = this.sql('SELECT * FROM schedules WHERE id = ?').get(key) as Row | undefined;
    if (byId) return toSchedule(byId);
    const ids = this.idsNamed(key);
    if (ids.length > 1) {
      throw new UserError(`${ids.length} schedules are named '${shown(key)}': address one by its id`, 'ambiguous_name', ids.map((id) => `id ${id}`));
    }
    if (!ids.length) throw new NotFoundError(`no schedule '${shown(key)}'`);
    return toSchedule(this.sql('SELECT * FROM schedules WHERE id = ?').get(ids[0]) as Row);
  }

  list(): StoredSchedule[] {
    return (this.sql('SELECT * FROM schedules ORDER BY name, created_at, id').all() as Row[]).map(toSchedule);
  }

  /** Enabling restarts the clock: the slots missed while disabled never fire. */
  setEnabled(key: string, enabled: boolean, now = Date.now()): StoredSchedule {
    const s = this.get(key);
    if (s.enabled === enabled) return s;
    // updated_at always moves (the scheduler restarts a trigger when it does), even within one millisecond.
    if (enabled) this.sql('UPDATE schedules SET enabled = 1, enabled_at = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?').run(now, now, s.id);
    else this.sql('UPDATE schedules SET enabled = 0, updated_at = MAX(?, updated_at + 1) WHERE id = ?').run(now, s.id);
    return this.get(s.id);
  }

  delete(key: string): StoredSchedule {
    const s = this.get(key);
    this.sql('DELETE FROM schedules WHERE id = ?').run(s.id);
    return s;
  }

  /** Claims (schedule, fire time); false when it was claimed before (the slot was already acted on). */
  claimFire(scheduleId: string, fireTime: number, now = Date.now()): boolean {
    return this.sql('INSERT OR IGNORE INTO schedule_fires (schedule_id, fire_time, recorded_at) VALUES (?, ?, ?)').run(scheduleId, fireTime, now).changes === 1;
  }

  setFireOutcome(scheduleId: string, fireTime: number, runId: string | null, error: string | null): void {
    this.sql('UPDATE schedule_fires SET run_id = ?, error = ? WHERE schedule_id = ? AND fire_time = ?').run(runId, error, scheduleId, fireTime);
  }

  /** Moves last_fired forward (never back). */
  setLastFired(scheduleId: string, fireTime: number): void {
    this.sql('UPDATE schedules SET last_fired = ? WHERE id = ? AND (last_fired IS NULL OR last_fired < ?)').run(fireTime, scheduleId, fireTime);
  }

  /** The latest handled content hash of a path (relative to the datastore). */
  currentHash(scheduleId: string, path: string): string | undefined {
    return (this.sql('SELECT hash FROM data_change_handled WHERE schedule_id = ? AND path = ? AND current = 1').get(scheduleId, path) as { hash: string } | undefined)?.hash;
  }

  /** Records (schedule, path, hash) as handled by runId (or not, with an error) and makes it the path's current hash. */
  markHandled(scheduleId: string, path: string, hash: string, runId: string | null, error: string | null, now = Date.now()): void {
    this.sql('UPDATE data_change_handled SET current = 0 WHERE schedule_id = ? AND path = ? AND current = 1').run(scheduleId, path);
    this.sql(`INSERT INTO data_change_handled (schedule_id, path, hash, run_id, error, current, handled_at) VALUES (?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (schedule_id, path, hash) DO UPDATE SET run_id = excluded.run_id, error = excluded.error, current = 1, handled_at = excluded.handled_at`,).run(scheduleId, path, hash, runId, error, now);
  }

  /** The runs a schedule started (their trigger names its id), newest first. */
  runs(scheduleId: string, limit: number, offset: number): { rows: ScheduleRunRecord[]; total: number } {
    const where = `FROM runs WHERE kind = 'pipeline' AND trigger_kind IN ('schedule', 'dataChange') AND json_extract(trigger_info, '$.scheduleId') = ?`;
    const total = (this.sql(`SELECT COUNT(*) AS n ${where}`).get(scheduleId) as { n: number }).n;
    const rows = this.sql(`SELECT id, status, created_at, ended_at, trigger_kind, trigger_info ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(scheduleId, limit, offset) as ScheduleRunRow[];
    return { rows: rows.map((r) => toScheduleRunRecord(r, this.shortIds.of(r.id))), total };
  }

  owner(): OwnerRow | undefined {
    const r = this.sql('SELECT pid, start, description, acquired_at, url FROM workspace_owner WHERE id = 1').get() as
      | { pid: number; start: string; description: string; acquired_at: number; url: string | null }
      | undefined;
    return r && { pid: r.pid, start: r.start, description: r.description, acquiredAt: r.acquired_at, url: r.url };
  }

  /** The owner's serving URL; only the owner named (pid, start) may set it. */
  setOwnerUrl(pid: number, start: string, url: string): void {
    this.sql('UPDATE workspace_owner SET url = ? WHERE id = 1 AND pid = ? AND start = ?').run(url, pid, start);
  }

  /**
   * Takes the owner row unless `isHeld(current)` says its holder is alive: returns the holder then.
   * IMMEDIATE, so two processes starting at once cannot both take it.
   */
  claimOwner(me: Omit<OwnerRow, 'acquiredAt'>, isHeld: (o: OwnerRow) => boolean, now = Date.now()): OwnerRow | undefined {
    return this.db
      .transaction(() => {
        const cur = this.owner();
        if (cur && isHeld(cur)) return cur;
        this.sql('INSERT INTO workspace_owner (id, pid, start, description, acquired_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, start = excluded.start, description = excluded.description, acquired_at = excluded.acquired_at, url = NULL')
          .run(me.pid, me.start, me.description, now);
        return undefined;
      })
      .immediate();
  }

  releaseOwner(pid: number, start: string): void {
    this.sql('DELETE FROM workspace_owner WHERE id = 1 AND pid = ? AND start = ?').run(pid, start);
  }
}

interface ScheduleRunRow {
  id: string;
  /** Its shortest unique prefix (short-ids.ts). */
  short_id: string;
  status: string;
  created_at: number;
  ended_at: number | null;
  trigger_info: string | null;
  trigger_kind: string | null;
}

const toScheduleRunRecord = (r: ScheduleRunRow, shortId: string): ScheduleRunRecord => ({
  id: r.id,
  shortId,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  endedAt: r.ended_at == null ? null : new Date(r.ended_at).toISOString(),
  trigger: { kind: r.trigger_kind ?? 'manual', ...(r.trigger_info ? JSON.parse(r.trigger_info) : {}) },
});
