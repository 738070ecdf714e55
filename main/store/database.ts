// Opening the SQLite file: WAL, numbered forward-only migrations with a ledger.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_KINDS, METRIC_KINDS, RUN_KINDS, RUN_STATUSES, TRIGGER_KINDS } from '../../shared/constants.js';
import { SCHEDULE_KINDS } from '../../shared/schedules.js';
import { UserError } from '../../shared/errors.js';
import { packageRoot } from '../package-root.js';
import { REFRESH_DIRECTIVE, rebuildWithChecks } from './refresh-checks.js';

export type DB = Database.Database;

/** `-- @foreign-keys-off` in a migration: foreign keys off around it, checked before its commit. */
const FOREIGN_KEYS_OFF = /^--\s*@foreign-keys-off\s*$/m;

export const TUPLES: Record<string, readonly string[]> = { RUN_STATUSES, RUN_KINDS, TRIGGER_KINDS, METRIC_KINDS, DATASET_KINDS, SCHEDULE_KINDS };
/** Which vocabulary each checked column of a table holds, for tables rebuilt by `-- @refresh-checks`. */
const CHECKED_COLUMNS: Record<string, Record<string, readonly string[]>> = {
  runs: { status: RUN_STATUSES, kind: RUN_KINDS, trigger_kind: TRIGGER_KINDS },
  metrics: { kind: METRIC_KINDS },
  datasets: { kind: DATASET_KINDS },
  schedules: { kind: SCHEDULE_KINDS },
};

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** `tuples`: the vocabularies substituted into the files (tests pass older ones to make older databases). */
export function loadMigrations(dir = join(packageRoot(), 'main', 'store', 'migrations'), tuples: Record<string, readonly string[]> = TUPLES): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  // Two files with one number (two branches each adding "the next" migration): only one
  // would ever be applied, the other silently skipped as already done.
  const clash = files.find((f, i) => i > 0 && f.slice(0, 4) === files[i - 1].slice(0, 4));
  if (clash) throw new UserError(`${dir}: two migrations are numbered ${clash.slice(0, 4)}; renumber one of them`, 'migration_failed');
  return files.map((f) => {
    const raw = readFileSync(join(dir, f), 'utf8');
    // The vocabulary tuples of shared/constants.ts become the CHECK constraints.
    const sql = raw.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
      const t = tuples[k];
      if (!t) throw new UserError(`${f}: unknown placeholder {{${k}}}`, 'migration_failed');
      return t.map((s) => `'${s}'`).join(', ');
    });
    return { version: Number(f.slice(0, 4)), name: f, sql, checksum: createHash('sha256').update(raw).digest('hex') };
  });
}

export function openDatabase(file: string, migrations = loadMigrations()): DB {
  // `npm start` launches Electron with better-sqlite3 built for Electron's ABI in a cache folder.
  const db = new Database(file, process.env.MILLRACE_SQLITE_BINDING ? { nativeBinding: process.env.MILLRACE_SQLITE_BINDING } : undefined);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash of the process (not of the OS) without an fsync per write.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function migrate(db: DB, migrations: Migration[], file: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as Migration[];
  for (const a of applied) {
    const m = migrations.find((x) => x.version === a.version);
    if (!m) throw new UserError(`${file}: the database has migration ${a.name}, which this version of Millrace does not know (is it older than the workspace?)`, 'migration_failed');
    if (m.checksum !== a.checksum) throw new UserError(`${file}: migration ${a.name} was changed after it was applied; migrations are forward-only`, 'migration_failed');
  }
  const pending = migrations.filter((m) => !applied.some((a) => a.version === m.version));
  for (const m of pending) {
    const rebuilds = [...m.sql.matchAll(REFRESH_DIRECTIVE)].map((x) => x[1]);
    // A migration that rebuilds a table by hand (e.g. to drop a UNIQUE) asks for foreign keys off.
    const fkOff = rebuilds.length > 0 || FOREIGN_KEYS_OFF.test(m.sql);
    // IMMEDIATE: two processes opening a fresh workspace at once must not both migrate.
    const apply = db.transaction(() => {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
      if (done) return;
      db.exec(m.sql);
      for (const table of rebuilds) {
        if (!Object.hasOwn(CHECKED_COLUMNS, table)) throw new Error(`@refresh-checks: no vocabularies known for table '${table}'`);
        rebuildWithChecks(db, table, CHECKED_COLUMNS[table]);
      }
      if (fkOff && db.prepare('PRAGMA foreign_key_check').all().length) throw new Error('it broke foreign keys');
      db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(m.version, m.name, m.checksum, Date.now());
    });
    // A table rebuild drops the old table: foreign keys must be off around it (checked before commit).
    if (fkOff) db.pragma('foreign_keys = OFF');
    try {
      apply.immediate();
    } catch (e) {
      // Nothing of it was applied (one transaction): the workspace stays as it was.
      throw new UserError(`${file}: migration ${m.name} failed: ${(e as Error).message}; the database was left unchanged`, 'migration_failed');
    } finally {
      if (fkOff) db.pragma('foreign_keys = ON');
    }
  }
}
