// The one way the store prepares SQL: by its text, once per connection, at the place it is used.
import type Database from 'better-sqlite3';

export type DB = Database.Database;
export type Statement = Database.Statement;

export interface StatementOptions {
  /** Rows of one column come back as plain values. */
  pluck?: boolean;
}

/** Base of every table class: `this.sql(text)` is the prepared statement of that text (cached). */
export abstract class Table {
  private readonly statements = new Map<string, Statement>();

  constructor(protected readonly db: DB) {}

  protected sql(text: string, o: StatementOptions = {}): Statement {
    const key = o.pluck ? `pluck\0${text}` : text;
    let s = this.statements.get(key);
    if (!s) {
      s = this.db.prepare(text);
      if (o.pluck) s.pluck();
      this.statements.set(key, s);
    }
    return s;
  }

  /** One IMMEDIATE transaction (it may read before it writes without SQLITE_BUSY on upgrade). */
  protected atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
