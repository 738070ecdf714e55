// Data-change trigger (DESIGN.md section 8): files added or changed under a datastore path start runs.
//
// Watcher events (chokidar, optionally polling) are only hints. Every hint, and every file a reconciliation scan
// (at start and every reconcileEveryMs) finds with a new size/mtime/inode, goes through the same steps:
//   1. stability: the file's size, mtime and inode must stay the same for stabilityMs (a file being written, or
//      replaced by an editor's write-temp-then-rename, settles first; a temp file renamed away simply vanishes);
//   2. hash (hashOf, default SHA-256) and stat again: if the file moved on meanwhile, back to 1;
//   3. dedup on (path, hash): skipped when this watcher already reported that hash for the path, or when the caller
//      says it handled it (isHandled, backed by the caller's store, so a restart never re-fires a handled file);
//   4. perFile: onChange once per change; batch: collected, and onBatch once quietMs after the burst ends.
// Callbacks run one at a time in detection order. A callback that throws un-marks its change so a later scan retries.
import { watch } from 'chokidar';
import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { Stats } from 'node:fs';
import type { DataChangeMode } from '../../shared/schedules.js';
import { fileFilter, isHiddenPath } from './file-filter.js';
import { sha256File } from './file-hash.js';
import { listFiles } from './tree-scan.js';

export interface DataChange {
  /** Relative to the watched root, `/`-separated. */
  relPath: string;
  hash: string;
  size: number;
}

export interface DataChangeWatcherOptions {
  root: string;
  /** e.g. `*.csv` (matched against the file name at any depth) or `raw/**\/*.csv` (against the relative path). */
  glob?: string;
  /** Poll instead of OS events: for network and container mounts. */
  polling?: boolean;
  /** Polling interval (default 1000 ms). */
  pollIntervalMs?: number;
  mode?: DataChangeMode;
  /** Batch mode: how long no file may be new or still changing before the batch is sent (default 1000 ms). */
  quietMs?: number;
  /** How long a file's size and mtime must stay put before it counts as written (default 2000 ms). */
  stabilityMs?: number;
  /** Full rescan interval (default 60 000 ms; 0: only at start). */
  reconcileEveryMs?: number;
  /** Content hash of an absolute path (default: SHA-256, hex). */
  hashOf?(file: string): Promise<string>;
  /** Whether the caller already handled this content at this path (normally: its last recorded hash equals it). */
  isHandled(relPath: string, hash: string): boolean;
  onChange?(change: DataChange): void | Promise<void>;
  onBatch?(changes: DataChange[]): void | Promise<void>;
  /** Watcher, scan and callback failures (default: written to stderr). */
  onError?(error: Error): void;
}

export interface DataChangeWatcher {
  /** Resolves once the watcher listens and the start-up scan has listed the existing files. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const HASH_CONCURRENCY = 4;
const signature = (s: Stats) => `${s.size}:${s.mtimeMs}:${s.ino}`;

export function startDataChangeWatcher(opts: DataChangeWatcherOptions): DataChangeWatcher {
  const mode = opts.mode ?? 'perFile';
  if (mode === 'perFile' && !opts.onChange) throw new Error('startDataChangeWatcher: perFile mode needs onChange');
  if (mode === 'batch' && !opts.onBatch) throw new Error('startDataChangeWatcher: batch mode needs onBatch');
  const root = resolve(opts.root);
  const quietMs = opts.quietMs ?? 1000;
  const stabilityMs = opts.stabilityMs ?? 2000;
  const reconcileEveryMs = opts.reconcileEveryMs ?? 60_000;
  const hashOf = opts.hashOf ?? sha256File;
  const onError = opts.onError ?? ((e: Error) => void process.stderr.write(`millrace: data-change watcher on ${root}: ${e.message}\n`));
  const accepts = fileFilter(opts.glob);

  let closed = false;
  /** Files waiting to settle: the signature last seen, and the timer of the next look. */
  const settling = new Map<string, { sig?: string; timer?: NodeJS.Timeout }>();
  /** Files being hashed; `again` holds those that got a hint meanwhile. */
  const hashing = new Set<string>();
  const again = new Set<string>();
  /** Signature at which each file's content was last confirmed: a scan skips files still at it. */
  const confirmed = new Map<string, string>();
  /** Hash last reported (or found handled) per path in this watcher's life. */
  const reported = new Map<string, string>();
  const abs = (rel: string) => resolve(root, rel);

  // Hashes run a few at a time; callbacks one at a time.
  let hashSlots = HASH_CONCURRENCY;
  const hashWaiters: (() => void)[] = [];
  const limitedHash = async (file: string) => {
    if (hashSlots > 0) hashSlots--;
    else await new Promise<void>((r) => hashWaiters.push(r));
    try {
      return await hashOf(file);
    } finally {
      const next = hashWaiters.shift();
      if (next) next();
      else hashSlots++;
    }
  };
  let callbacks: Promise<void> = Promise.resolve();
  const enqueue = (fn: () => void | Promise<void>, undo: () => void) => {
    callbacks = callbacks.then(fn).catch((e: Error) => {
      undo();
      onError(e);
    });
  };

  // Batch mode: the burst is over when quietMs passed with no activity and no file settling or being hashed.
  let batch = new Map<string, DataChange>();
  let lastActivity = Date.now();
  let quietTimer: NodeJS.Timeout | undefined;
  const activity = () => {
    lastActivity = Date.now();
  };
  const armQuiet = (ms: number) => {
    clearTimeout(quietTimer);
    quietTimer = setTimeout(flushIfQuiet, Math.max(ms, 10));
  };
  function flushIfQuiet() {
    if (closed || !batch.size) return;
    const wait = lastActivity + quietMs - Date.now();
    if (wait > 0 || settling.size || hashing.size) return armQuiet(wait > 0 ? wait : quietMs);
    const changes = [...batch.values()];
    batch = new Map();
    enqueue(
      () => opts.onBatch!(changes),
      () => changes.forEach(forget),
    );
  }

  function forget(c: DataChange) {
    if (reported.get(c.relPath) === c.hash) reported.delete(c.relPath);
    confirmed.delete(c.relPath);
  }

  /** A hint that `rel` may have changed (event or scan). */
  function hint(rel: string) {
    if (closed || !accepts(rel) || settling.has(rel)) return;
    if (hashing.has(rel)) return void again.add(rel);
    const entry: { sig?: string; timer?: NodeJS.Timeout } = {};
    settling.set(rel, entry);
    track(look(rel, entry));
  }

  /** Looks and hashes under way, so close() can wait for them. */
  const working = new Set<Promise<void>>();
  function track(p: Promise<void>) {
    working.add(p);
    void p.finally(() => working.delete(p));
  }

  /** Stat the file; settled once its signature is the same as at the previous look, stabilityMs earlier. */
  async function look(rel: string, entry: { sig?: string; timer?: NodeJS.Timeout }) {
    const st = await stat(abs(rel)).catch(() => null);
    if (closed || settling.get(rel) !== entry) return;
    if (!st?.isFile()) return void settling.delete(rel); // gone (e.g. a temp file renamed away) or not a file
    const sig = signature(st);
    if (entry.sig === undefined && confirmed.get(rel) === sig) return void settling.delete(rel); // nothing new
    if (entry.sig !== sig) {
      entry.sig = sig;
      activity();
      entry.timer = setTimeout(() => track(look(rel, entry)), stabilityMs);
      return;
    }
    settling.delete(rel);
    hashing.add(rel);
    try {
      await settled(rel, sig);
    } catch (e) {
      onError(e as Error);
    } finally {
      hashing.delete(rel);
      if (again.delete(rel)) hint(rel);
    }
  }

  async function settled(rel: string, sig: string) {
    let hash: string | Error;
    try {
      hash = await limitedHash(abs(rel));
    } catch (e) {
      hash = e as Error;
    }
    const st = await stat(abs(rel)).catch(() => null);
    if (closed || !st) return; // vanished while hashing: nothing to report
    if (signature(st) !== sig) return void again.add(rel); // written to meanwhile: settle again
    confirmed.set(rel, sig); // also on a failed hash (e.g. unreadable): retried once the file changes
    if (hash instanceof Error) throw hash;
    if (reported.get(rel) === hash) return;
    reported.set(rel, hash);
    if (opts.isHandled(rel, hash)) return;
    const change: DataChange = { relPath: rel, hash, size: st.size };
    if (mode === 'perFile') return enqueue(() => opts.onChange!(change), () => forget(change));
    batch.set(rel, change); // a path changed twice in one burst is reported once, with its latest content
    activity();
    armQuiet(quietMs);
  }

  let scanning: Promise<void> | undefined;
  const scan = () => {
    scanning ??= (async () => {
      try {
        for await (const rel of listFiles(root)) {
          if (closed) return;
          hint(rel);
        }
      } catch (e) {
        onError(e as Error);
      } finally {
        scanning = undefined;
      }
    })();
    return scanning;
  };

  const toRel = (p: string) => relative(root, p).split(sep).join('/');
  const watcher = watch(root, {
    ignoreInitial: true, // the scan covers what is already there
    usePolling: opts.polling ?? false,
    interval: opts.pollIntervalMs ?? 1000,
    binaryInterval: opts.pollIntervalMs ?? 1000,
    followSymlinks: false,
    ignorePermissionErrors: true,
    // Directories are only skipped when hidden; files also when the filter rejects them (fewer files to poll).
    ignored: (p: string, st?: Stats) => {
      const rel = toRel(p);
      if (!rel || rel.startsWith('..')) return false;
      return isHiddenPath(rel) || (st?.isFile() === true && !accepts(rel));
    },
  });
  watcher.on('add', (p: string) => hint(toRel(p)));
  watcher.on('change', (p: string) => hint(toRel(p)));
  watcher.on('unlink', (p: string) => {
    const rel = toRel(p);
    const entry = settling.get(rel);
    if (entry) clearTimeout(entry.timer);
    settling.delete(rel);
    confirmed.delete(rel);
  });
  watcher.on('error', (e: unknown) => onError(e instanceof Error ? e : new Error(String(e))));

  let reconcileTimer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((res) => watcher.once('ready', res)).then(async () => {
    if (closed) return;
    await scan();
    if (reconcileEveryMs > 0 && !closed) reconcileTimer = setInterval(() => void scan(), reconcileEveryMs);
  });

  return {
    ready,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(reconcileTimer);
      clearTimeout(quietTimer);
      for (const e of settling.values()) clearTimeout(e.timer);
      settling.clear();
      await watcher.close();
      await scanning;
      await Promise.allSettled([...working]);
      // Let started callbacks finish; an unsent batch is dropped (not handled, so the next start finds it again).
      await callbacks;
    },
  };
}
