// The SQLite store (main/store/database.ts): WAL, numbered forward-only migrations with a checked ledger.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_STATUSES, TRIGGER_KINDS } from '../../shared/constants.js';
import { loadMigrations, openDatabase, TUPLES, type DB } from '../../main/store/database.js';
import { Store } from '../../main/store/store.js';
import { packageRoot } from '../../main/package-root.js';

const realMigrations = join(packageRoot(), 'main', 'store', 'migrations');

let dir: string;
let open: DB[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-db-'));
  open = [];
});
afterEach(() => {
  for (const db of open) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const track = (db: DB) => (open.push(db), db);

/** A copy of the real migrations in a folder the test may change. */
function migrationsCopy(): string {
  const m = join(dir, 'migrations');
  mkdirSync(m);
  for (const f of readdirSync(realMigrations)) copyFileSync(join(realMigrations, f), join(m, f));
  return m;
}

describe('openDatabase', () => {
  it('applies every migration once and records it in the ledger', () => {
    const file = join(dir, 'm.db');
    const migrations = loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const db = track(openDatabase(file, migrations));
    const ledger = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all();
    expect(ledger).toEqual(migrations.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['runs', 'experiments', 'metrics', 'datasets', 'file_hashes', 'schema_migrations']));
  });

  it('is idempotent on reopen and keeps the data', () => {
    const file = join(dir, 'm.db');
    const db = openDatabase(file);
    const appliedAt = db.prepare('SELECT applied_at FROM schema_migrations').all();
    db.prepare('INSERT INTO experiments (name, created_at) VALUES (?, ?)').run('exp', 1);
    db.close();
    const again = track(openDatabase(file));
    expect(again.prepare('SELECT applied_at FROM schema_migrations').all()).toEqual(appliedAt);
    expect(again.prepare('SELECT name FROM experiments').all()).toEqual([{ name: 'exp' }]);
  });

  it('applies a new migration on the next open, and only that one', () => {
    const m = migrationsCopy();
    const file = join(dir, 'm.db');
    openDatabase(file, loadMigrations(m)).close();
    writeFileSync(join(m, '0999_extra.sql'), 'CREATE TABLE extra (x INTEGER);\n');
    const db = track(openDatabase(file, loadMigrations(m)));
    const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toEqual([...loadMigrations().map((x) => x.version), 999]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'extra'`).get()).toEqual({ n: 1 });
  });

  it('refuses to open when an applied migration was changed', () => {
    const m = migrationsCopy();
    const file = join(dir, 'm.db');
    openDatabase(file, loadMigrations(m)).close();
    const first = readdirSync(m).find((f) => f.endsWith('.sql'))!;
    appendFileSync(join(m, first), '\n-- edited after release\n');
    expect(() => openDatabase(file, loadMigrations(m))).toThrow(/changed after it was applied/);
  });

  it('refuses to open a database with a migration this version does not know', () => {
    const m = migrationsCopy();
    const file = join(dir, 'm.db');
    writeFileSync(join(m, '9000_future.sql'), 'CREATE TABLE future (x INTEGER);\n');
    openDatabase(file, loadMigrations(m)).close();
    expect(() => openDatabase(file, loadMigrations(realMigrations))).toThrow(expect.objectContaining({ code: 'migration_failed', message: expect.stringMatching(/9000_future\.sql/) }));
  });

  it('rolls back a failing migration, leaving no ledger row', () => {
    const m = migrationsCopy();
    const file = join(dir, 'm.db');
    writeFileSync(join(m, '0998_bad.sql'), 'CREATE TABLE half (x INTEGER);\nTHIS IS NOT SQL;\n');
    // A clear user error naming the migration (exit 2 in the CLI), not an internal error.
    expect(() => openDatabase(file, loadMigrations(m))).toThrow(expect.objectContaining({ code: 'migration_failed', message: expect.stringContaining('0998_bad.sql failed') }));
    const raw = track(new Database(file));
    expect(raw.prepare('SELECT version FROM schema_migrations WHERE version = 998').get()).toBeUndefined();
    expect(raw.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: loadMigrations().length });
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
  });

  it('refuses two migration files with the same number', () => {
    const m = migrationsCopy();
    writeFileSync(join(m, '0001_other.sql'), 'CREATE TABLE other (x INTEGER);\n');
    expect(() => loadMigrations(m)).toThrow(/0001/);
  });

  it('turns on WAL, foreign keys and a busy timeout', () => {
    const db = track(openDatabase(join(dir, 'm.db')));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
  });

  it('rejects a status outside the RUN_STATUSES tuple with a CHECK constraint', () => {
    const db = track(openDatabase(join(dir, 'm.db')));
    db.prepare('INSERT INTO experiments (id, name, created_at) VALUES (1, ?, ?)').run('e', 1);
    const insert = db.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at) VALUES (?, 1, 'pipeline', 'p', ?, 1)`);
    for (const [i, s] of RUN_STATUSES.entries()) insert.run(`ok${i}`, s);
    expect(() => insert.run('bad', 'Done')).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
    expect(() => insert.run('bad2', 'completed')).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
    expect(() => db.prepare(`UPDATE runs SET status = 'Paused' WHERE id = 'ok0'`).run()).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
    const orphan = db.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at) VALUES ('x', 99, 'step', 'p', 'Running', 1)`);
    expect(() => orphan.run()).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }));
  });

  it('also constrains run kinds and metric kinds', () => {
    const db = track(openDatabase(join(dir, 'm.db')));
    db.prepare('INSERT INTO experiments (id, name, created_at) VALUES (1, ?, ?)').run('e', 1);
    expect(() => db.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at) VALUES ('r', 1, 'job', 'p', 'Queued', 1)`).run()).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
    db.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at) VALUES ('r', 1, 'pipeline', 'p', 'Queued', 1)`).run();
    expect(() => db.prepare(`INSERT INTO metrics (run_id, name, kind, ts) VALUES ('r', 'm', 'histogram', 1)`).run()).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
  });
});

describe('Store', () => {
  it('creates a run with its steps in one go and reads it back as a record', () => {
    const store = Store.open(join(dir, 's.db'));
    try {
      store.runs.createPipelineRun({
        id: 'run1', experiment: 'exp', pipelineName: 'p', pipelineFile: '/p.yml', parameters: { a: 1 }, definition: {},
        trigger: { kind: 'cli', user: 'me' }, owner: null,
        steps: [
          { id: 'run1-a', name: 'a', displayName: 'A', seq: 0, definition: {} },
          { id: 'run1-b', name: 'b', displayName: 'b', seq: 1, definition: {} },
        ],
      });
      store.metrics.insert([
        { runId: 'run1-a', name: 'loss', kind: 'scalar', step: null, value: 1, description: null, ts: 1 },
        { runId: 'run1-a', name: 'loss', kind: 'scalar', step: null, value: 0.5, description: null, ts: 2 },
        { runId: 'run1', name: 'best', kind: 'scalar', step: null, value: 0.9, description: null, ts: 3 },
      ]);
      const r = store.runs.get('run1');
      expect(r).toMatchObject({ id: 'run1', experiment: 'exp', status: 'NotStarted', parameters: { a: 1 }, trigger: { kind: 'cli', user: 'me' }, metrics: { best: 0.9 } });
      expect(r.steps.map((s) => [s.name, s.displayName, s.status])).toEqual([['a', 'A', 'NotStarted'], ['b', 'b', 'NotStarted']]);
      expect(r.steps[0].metrics).toEqual({ loss: { count: 2, last: 0.5, min: 0.5, max: 1 } });
      expect(store.runs.resolveId('run1')).toBe('run1');
      expect(() => store.runs.get('run1-a')).toThrow(/step run/);
      expect(() => store.runs.resolveId('zzz')).toThrow(expect.objectContaining({ code: 'not_found' }));
      expect(() => store.runs.update('run1', { status: 'Bogus' as never })).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
    } finally {
      store.close();
    }
  });
});

describe('a vocabulary that grows (@refresh-checks)', () => {
  it("rebuilds a table with the current CHECK lists, keeping its rows, columns, indexes and foreign keys", async () => {
    const { refreshedDefinition } = await import('../../main/store/refresh-checks.js');
    expect(refreshedDefinition("CREATE TABLE t (a TEXT CHECK (a IN ('x')), b TEXT CHECK (b IN ('y')))", { a: ['x', 'z'] })).toBe(
      "CREATE TABLE t (a TEXT CHECK (a IN ('x', 'z')), b TEXT CHECK (b IN ('y')))",
    );
    // A database made before 'sdk' was a trigger kind: migrations up to 0004, with the old list.
    const dir = mkdtempSync(join(tmpdir(), 'millrace-refresh-'));
    try {
      const old = join(dir, 'old');
      mkdirSync(old);
      for (const f of readdirSync(realMigrations)) {
        if (Number(f.slice(0, 4)) <= 4) copyFileSync(join(realMigrations, f), join(old, f));
      }
      const file = join(dir, 'w.db');
      const before = openDatabase(file, loadMigrations(old, { ...TUPLES, TRIGGER_KINDS: TRIGGER_KINDS.filter((k) => k !== 'sdk') }));
      expect(() => before.prepare(`INSERT INTO experiments (id, name, created_at) VALUES (9, 'x', 1)`).run() && before.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at, trigger_kind) VALUES ('x', 9, 'pipeline', 'x', 'NotStarted', 2, 'sdk')`).run()).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
      before.prepare(`INSERT INTO experiments (id, name, created_at) VALUES (1, 'e', 1)`).run();
      before.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at, trigger_kind, job_id) VALUES ('p', 1, 'pipeline', 'p', 'Completed', 1, 'cli', 'j1')`).run();
      before.prepare(`INSERT INTO runs (id, experiment_id, parent_id, kind, name, status, created_at) VALUES ('s', 1, 'p', 'step', 'a', 'Completed', 1)`).run();
      before.prepare(`INSERT INTO metrics (run_id, name, kind, value, ts) VALUES ('s', 'm', 'scalar', 1, 1)`).run();
      before.close();
      const db = track(openDatabase(file));
      db.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at, trigger_kind) VALUES ('q', 1, 'pipeline', 'q', 'NotStarted', 2, 'sdk')`).run();
      expect(db.prepare(`SELECT id, job_id FROM runs ORDER BY id`).all()).toEqual([{ id: 'p', job_id: 'j1' }, { id: 'q', job_id: null }, { id: 's', job_id: null }]);
      expect(db.prepare(`SELECT COUNT(*) AS n FROM metrics`).get()).toEqual({ n: 1 });
      expect((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' ORDER BY name`).all() as { name: string }[]).map((r) => r.name)).toContain('runs_unclaimed');
      expect(() => db.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at, trigger_kind) VALUES ('r', 1, 'pipeline', 'r', 'NotStarted', 2, 'nope')`).run()).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
      expect(() => db.prepare(`INSERT INTO runs (id, experiment_id, parent_id, kind, name, status, created_at) VALUES ('t', 1, 'missing', 'step', 'a', 'Completed', 1)`).run()).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
