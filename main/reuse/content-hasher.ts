// Content hashes of files and folders, cached by (path, size, mtime, inode) as git and DVC do,
// so that a rerun over gigabytes of unchanged data does not read them again. Hashing stops
// between files and between 1 MiB chunks once its AbortSignal fires (a cancel must not wait
// for a 4 GB input), with an error whose name is 'AbortError'.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readdirSync, readFileSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { CachedHash, FileHashStore } from '../store/file-hash-store.js';

const SMALL = 4 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/** The error a canceled hash rejects with (as fetch and the fs promises do). */
export function abortError(signal: AbortSignal): Error {
  const e = new Error('hashing was canceled', { cause: signal.reason });
  e.name = 'AbortError';
  return e;
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

export interface PathHash {
  hash: string;
  files: { rel: string; hash: string }[];
}

export class ContentHasher {
  private pending: CachedHash[] = [];
  /** Hashes of this process's lifetime: a file is looked up in SQLite at most once per identity. */
  private readonly memo = new Map<string, { id: string; hash: string }>();

  constructor(readonly cache: FileHashStore) {}

  async hashFile(abs: string, st: BigIntStats = statSync(abs, { bigint: true }), signal?: AbortSignal): Promise<string> {
    checkAbort(signal);
    const known = this.known(abs, st);
    if (known.hash) return known.hash;
    return this.remember(abs, known, known.ident.size <= SMALL ? sha256(readFileSync(abs)) : await streamHash(abs, signal));
  }

  /** What this process or the cache knows of the file at this identity (size, mtime, inode). */
  private known(abs: string, st: BigIntStats): { ident: { size: number; mtimeNs: string; ino: string }; key: string; hash?: string } {
    const ident = { size: Number(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino) };
    const key = `${ident.size}:${ident.mtimeNs}:${ident.ino}`;
    const m = this.memo.get(abs);
    if (m && m.id === key) return { ident, key, hash: m.hash };
    const hash = this.cache.lookup(abs, ident);
    if (hash) this.memo.set(abs, { id: key, hash });
    return { ident, key, hash: hash ?? undefined };
  }

  /** A newly computed hash: memoised now, written to the cache at the next flush(). */
  private remember(abs: string, known: { ident: { size: number; mtimeNs: string; ino: string }; key: string }, hash: string): string {
    this.pending.push({ path: abs, ...known.ident, hash });
    this.memo.set(abs, { id: known.key, hash });
    return hash;
  }

  /** A file's or a folder's content identity (folders: sorted relative paths and file hashes). */
  async hashPath(abs: string, filter?: (rel: string, isDir: boolean) => boolean, signal?: AbortSignal): Promise<PathHash> {
    checkAbort(signal);
    const st = statSync(abs, { bigint: true });
    if (!st.isDirectory()) {
      const h = await this.hashFile(abs, st, signal);
      return { hash: sha256(`file\0${h}`), files: [{ rel: '', hash: h }] };
    }
    const files: { rel: string; hash: string }[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        checkAbort(signal);
        const full = join(dir, e.name);
        const rel = relative(abs, full).split(sep).join('/');
        let isDir = e.isDirectory();
        let fst: BigIntStats | undefined;
        if (e.isSymbolicLink()) {
          try {
            fst = statSync(full, { bigint: true });
          } catch {
            continue; // dangling link
          }
          isDir = fst.isDirectory();
        }
        if (filter && !filter(rel, isDir)) continue;
        if (isDir) await walk(full);
        else if (e.isFile() || fst?.isFile()) files.push({ rel, hash: await this.hashFile(full, fst, signal) });
      }
    };
    await walk(abs);
    return { hash: filesHash(files), files };
  }

  /** hashFile without waiting: for code at submit, which is small and must be read now (readSync in chunks). */
  hashFileSync(abs: string, st: BigIntStats = statSync(abs, { bigint: true })): string {
    const known = this.known(abs, st);
    if (known.hash) return known.hash;
    return this.remember(abs, known, known.ident.size <= SMALL ? sha256(readFileSync(abs)) : chunkedHashSync(abs));
  }

  /** Persist newly computed hashes (one transaction). */
  flush(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.cache.putMany(batch);
  }
}

/** The content identity of a folder holding `files` (sorted relative paths and their hashes). */
export function folderHash(files: readonly { rel: string; hash: string }[]): string {
  return sha256(`dir\0${files.map((f) => `${f.rel}\0${f.hash}`).join('\n')}`);
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function chunkedHashSync(abs: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(abs, 'r');
  try {
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** The content identity of a list of files (sorted relative paths and their hashes), as hashPath gives a folder's. */
export const filesHash = (files: readonly { rel: string; hash: string }[]): string => sha256(`dir\0${files.map((f) => `${f.rel}\0${f.hash}`).join('\n')}`);

function streamHash(abs: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolveHash, reject) => {
    const h = createHash('sha256');
    const stream = createReadStream(abs, { highWaterMark: CHUNK });
    stream
      .on('data', (c) => {
        if (signal?.aborted) stream.destroy(abortError(signal));
        else h.update(c);
      })
      .on('error', reject)
      .on('end', () => resolveHash(h.digest('hex')));
  });
}
