// Persistent cache of file content hashes keyed by (path, size, mtime, inode).
import { Table } from './statements.js';

export interface FileIdentity {
  size: number;
  mtimeNs: string;
  ino: string;
}
export interface CachedHash extends FileIdentity {
  path: string;
  hash: string;
}

export class FileHashStore extends Table {


  /** The cached hash when the file's identity is unchanged, else undefined. */
  lookup(path: string, id: FileIdentity): string | undefined {
    const row = this.sql('SELECT size, mtime_ns AS mtimeNs, ino, hash FROM file_hashes WHERE path = ?').get(path) as (FileIdentity & { hash: string }) | undefined;
    if (row && row.size === id.size && row.mtimeNs === id.mtimeNs && row.ino === id.ino) return row.hash;
    return undefined;
  }

  putMany(entries: CachedHash[]): void {
    if (!entries.length) return;
    this.db.transaction(() => {
      for (const e of entries) this.sql('INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, ino, hash) VALUES (?, ?, ?, ?, ?)').run(e.path, e.size, e.mtimeNs, e.ino, e.hash);
    })();
  }
}
