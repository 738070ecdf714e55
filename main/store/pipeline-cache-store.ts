// Validated pipeline files by path (main/executor/pipeline-cache.ts decides what the key covers).
import type { DB } from './database.js';

export class PipelineCacheStore {
  private readonly getStmt;
  private readonly putStmt;

  constructor(db: DB) {
    this.getStmt = db.prepare('SELECT validated FROM pipeline_cache WHERE path = ? AND key = ?').pluck();
    this.putStmt = db.prepare('INSERT OR REPLACE INTO pipeline_cache (path, key, validated, stored_at) VALUES (?, ?, ?, ?)');
  }

  /** The stored JSON when the row for `path` has this key. */
  get(path: string, key: string): string | undefined {
    return this.getStmt.get(path, key) as string | undefined;
  }

  put(path: string, key: string, validated: string): void {
    this.putStmt.run(path, key, validated, Date.now());
  }
}
