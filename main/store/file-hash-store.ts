// Persistent cache of file content hashes keyed by (path, size, mtime, inode).
import type { DB } from './database.js';

export interface FileIdentity {
  size: number;
  mtimeNs: string;
  ino: string;
}
export interface CachedHash extends FileIdentity {
  path: string;
  hash: string;
}

export class FileHashStore {
  private readonly getStmt;
  private readonly putStmt;

  constructor(private readonly db: DB) {
    this.getStmt = db.prepare('SELECT size, mtime_ns AS mtimeNs, ino, hash FROM file_hashes WHERE path = ?');
    this.putStmt = db.prepare('INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, ino, hash) VALUES (?, ?, ?, ?, ?)');
  }

  /** The cached hash when the file's identity is unchanged, else undefined. */
  lookup(path: string, id: FileIdentity): string | undefined {
    const row = this.getStmt.get(path) as (FileIdentity & { hash: string }) | undefined;
    if (row && row.size === id.size && row.mtimeNs === id.mtimeNs && row.ino === id.ino) return row.hash;
    return undefined;
  }

  putMany(entries: CachedHash[]): void {
    if (!entries.length) return;
    this.db.transaction(() => {
      for (const e of entries) this.putStmt.run(e.path, e.size, e.mtimeNs, e.ino, e.hash);
    })();
  }
}
