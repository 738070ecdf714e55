// SQLite cannot alter a CHECK constraint. When a vocabulary of shared/constants.ts grows (a new
// trigger kind), a migration says `-- @refresh-checks <table>` and the table is rebuilt with the
// current vocabularies in its CHECKs, by SQLite's documented procedure (a new table, copy, drop,
// rename, indexes again; foreign keys off around it and checked before commit). The new definition
// is the table's current one (columns added by later ALTERs included) with only the IN-lists replaced.
import type Database from 'better-sqlite3';

type DB = Database.Database;

export const REFRESH_DIRECTIVE = /^--\s*@refresh-checks\s+(\w+)\s*$/gm;

/** Column -> its vocabulary, for the CHECK (column IN (...)) constraints of the rebuilt tables. */
export type Vocabularies = Record<string, readonly string[]>;

const quoteList = (xs: readonly string[]) => xs.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ');

export function refreshedDefinition(sql: string, vocab: Vocabularies): string {
  return sql.replace(/CHECK\s*\(\s*(\w+)\s+IN\s*\(([^)]*)\)\s*\)/g, (whole, col: string) =>
    Object.hasOwn(vocab, col) ? `CHECK (${col} IN (${quoteList(vocab[col])}))` : whole,
  );
}

/** Rebuilds `table` inside the caller's transaction; the caller turned foreign keys off before it began. */
export function rebuildWithChecks(db: DB, table: string, vocab: Vocabularies): void {
  const def = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string } | undefined;
  if (!def) throw new Error(`no table '${table}' to refresh`);
  const others = db.prepare(`SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL`).all(table) as { sql: string }[];
  const tmp = `${table}__refreshed`;
  const created = refreshedDefinition(def.sql, vocab).replace(/^CREATE TABLE\s+("?)(\w+)\1/i, `CREATE TABLE ${tmp}`);
  db.exec(created);
  db.exec(`INSERT INTO ${tmp} SELECT * FROM ${table}`);
  db.exec(`DROP TABLE ${table}`);
  db.exec(`ALTER TABLE ${tmp} RENAME TO ${table}`);
  for (const o of others) db.exec(o.sql);
  const broken = db.prepare('PRAGMA foreign_key_check').all();
  if (broken.length) throw new Error(`rebuilding ${table} broke ${broken.length} foreign key(s)`);
}
