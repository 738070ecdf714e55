// Migration 0011 rebuilds the schedules table (names stop being unique): the fire records and
// handled files that reference schedules survive it (foreign keys off around the rebuild).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadMigrations, openDatabase } from '../../main/store/database.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

it('a workspace from before 0011 keeps its schedules, their fires and handled files; names may then repeat', () => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-0011-'));
  const file = join(dir, 'm.db');
  const all = loadMigrations();
  const old = openDatabase(file, all.filter((m) => m.version < 11));
  old.prepare(`INSERT INTO schedules (id, name, kind, target, experiment, recurrence, enabled_at, created_at, updated_at)
    VALUES ('s1', 'nightly', 'recurrence', '{"publishedId":"p"}', 'E', '{"frequency":"Day","timeZone":"UTC"}', 1, 1, 1)`).run();
  old.prepare(`INSERT INTO schedule_fires (schedule_id, fire_time, run_id, recorded_at) VALUES ('s1', 100, 'r1', 1)`).run();
  old.prepare(`INSERT INTO data_change_handled (schedule_id, path, hash, handled_at) VALUES ('s1', 'a.csv', 'h', 1)`).run();
  old.close();

  const db = openDatabase(file, all);
  try {
    expect(db.prepare('SELECT schedule_id, fire_time, run_id FROM schedule_fires').all()).toEqual([{ schedule_id: 's1', fire_time: 100, run_id: 'r1' }]);
    expect(db.prepare('SELECT path FROM data_change_handled').all()).toEqual([{ path: 'a.csv' }]);
    expect(db.prepare('SELECT name, description, polling_interval FROM schedules').all()).toEqual([{ name: 'nightly', description: null, polling_interval: null }]);
    db.prepare(`INSERT INTO schedules (id, name, kind, target, experiment, recurrence, enabled_at, created_at, updated_at)
      VALUES ('s2', 'nightly', 'recurrence', '{"publishedId":"p"}', 'E', '{"frequency":"Day","timeZone":"UTC"}', 1, 1, 1)`).run();
    // The children still cascade from the rebuilt table.
    db.prepare(`DELETE FROM schedules WHERE id = 's1'`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM schedule_fires').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});
