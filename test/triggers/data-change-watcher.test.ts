// The data-change watcher against real files in temp dirs, with exact counts: each expected count is awaited
// (up to 30 s: two cores) and must then stay the same for 1.5 s.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDataChangeWatcher, type DataChange, type DataChangeWatcher, type DataChangeWatcherOptions } from '../../main/triggers/data-change-watcher.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits for `count() === n`, then checks it stays n for 1.5 s. */
async function settlesAt(what: string, count: () => number, n: number): Promise<void> {
  await until(`${what} to reach ${n} (now ${count()})`, () => count() >= n);
  await sleep(1500);
  expect(count(), what).toBe(n);
}

const dirs: string[] = [];
const watchers: DataChangeWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'millrace-watch-'));
  dirs.push(d);
  return d;
}

/** A watcher whose "store" of handled (path -> hash) outlives it, as the schedules table will. */
function harness(root: string, store = new Map<string, string>()) {
  const changes: DataChange[] = [];
  const batches: DataChange[][] = [];
  const errors: Error[] = [];
  const start = (extra: Partial<DataChangeWatcherOptions> = {}) => {
    const w = startDataChangeWatcher({
      root,
      stabilityMs: 400,
      quietMs: 800,
      isHandled: (rel, hash) => store.get(rel) === hash,
      onChange: (c) => {
        changes.push(c);
        store.set(c.relPath, c.hash);
      },
      onBatch: (cs) => {
        batches.push(cs);
        for (const c of cs) store.set(c.relPath, c.hash);
      },
      onError: (e) => errors.push(e),
      ...extra,
    });
    watchers.push(w);
    return w;
  };
  return { store, changes, batches, errors, start };
}

describe('startDataChangeWatcher', () => {
  it('a 50 MB file written in chunks over ~2 s fires once, after it is complete, with the final hash', async () => {
    const root = tempDir();
    const h = harness(root);
    await h.start({ reconcileEveryMs: 300 }).ready; // frequent scans too: they must not fire a partial file either
    const chunk = Buffer.alloc(2 * 1024 * 1024);
    const whole = createHash('sha256');
    const f = await open(join(root, 'big.bin'), 'w');
    for (let i = 0; i < 25; i++) {
      chunk.fill(i);
      await f.write(chunk);
      whole.update(chunk);
      await sleep(80);
    }
    await f.close();
    await settlesAt('changes', () => h.changes.length, 1);
    expect(h.changes[0]).toEqual({ relPath: 'big.bin', hash: whole.digest('hex'), size: 50 * 1024 * 1024 });
    expect(h.errors).toEqual([]);
  });

  it("an editor's write-temp-then-rename fires once, for the final name only", async () => {
    const root = tempDir();
    const h = harness(root);
    await h.start().ready;
    writeFileSync(join(root, 'data.csv'), 'a,b\n1,2\n');
    await settlesAt('changes', () => h.changes.length, 1);
    // The temp name is not one the filter knows; it vanishes before it settles, so only the rename counts.
    const tmp = join(root, 'data.csv.sb-8f3a1c');
    writeFileSync(tmp, 'a,b\n1,2\n');
    await sleep(50);
    writeFileSync(tmp, 'a,b\n1,2\n3,4\n');
    renameSync(tmp, join(root, 'data.csv'));
    // And a brand-new file that arrives by rename.
    writeFileSync(join(root, 'new.csv.sb-77'), 'x\n');
    renameSync(join(root, 'new.csv.sb-77'), join(root, 'new.csv'));
    await settlesAt('changes', () => h.changes.length, 3);
    expect(h.changes.map((c) => [c.relPath, c.hash]).sort()).toEqual([
      ['data.csv', sha256('a,b\n1,2\n')],
      ['data.csv', sha256('a,b\n1,2\n3,4\n')],
      ['new.csv', sha256('x\n')],
    ]);
  });

  it('touching a file or rewriting the same bytes fires nothing', async () => {
    const root = tempDir();
    const h = harness(root);
    // The caller's store is left out here (the restart test covers it): the watcher itself knows the hash it reported.
    await h.start({ reconcileEveryMs: 300, isHandled: () => false }).ready;
    const file = join(root, 'same.txt');
    writeFileSync(file, 'hello\n');
    await settlesAt('changes', () => h.changes.length, 1);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    writeFileSync(file, 'hello\n');
    await sleep(1500);
    await settlesAt('changes', () => h.changes.length, 1);
  });

  it('a burst of 1,000 files fires exactly 1,000 times in perFile mode', async () => {
    const root = tempDir();
    const h = harness(root);
    // Scans overlap the events, and the caller records nothing: the watcher's own dedup keeps it to one fire per file.
    await h.start({ reconcileEveryMs: 250, isHandled: () => false }).ready;
    mkdirSync(join(root, 'part'));
    for (let i = 0; i < 1000; i++) writeFileSync(join(root, i % 2 ? 'part' : '', `f${i}.csv`), `row ${i}\n`);
    await settlesAt('changes', () => h.changes.length, 1000);
    expect(new Set(h.changes.map((c) => c.relPath)).size).toBe(1000);
    expect(h.changes.find((c) => c.relPath === 'part/f1.csv')).toEqual({ relPath: 'part/f1.csv', hash: sha256('row 1\n'), size: 6 });
  });

  it('a burst of 1,000 files is one batch of 1,000 in batch mode', async () => {
    const root = tempDir();
    const h = harness(root);
    await h.start({ mode: 'batch', onChange: undefined, reconcileEveryMs: 250 }).ready;
    for (let i = 0; i < 1000; i++) writeFileSync(join(root, `f${i}.csv`), `row ${i}\n`);
    await settlesAt('batches', () => h.batches.length, 1);
    expect(h.batches[0]).toHaveLength(1000);
    expect(new Set(h.batches[0].map((c) => c.relPath)).size).toBe(1000);
    // A later burst is a new batch.
    for (let i = 0; i < 3; i++) writeFileSync(join(root, `g${i}.csv`), `row ${i}\n`);
    await settlesAt('batches', () => h.batches.length, 2);
    expect(h.batches[1].map((c) => c.relPath).sort()).toEqual(['g0.csv', 'g1.csv', 'g2.csv']);
    expect(h.changes).toEqual([]);
  });

  it('finds files that arrived while nothing watched, and never re-fires handled ones after a restart', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'in'));
    for (const n of ['a.csv', 'b.csv', 'in/c.csv']) writeFileSync(join(root, n), n);
    const store = new Map<string, string>();
    const first = harness(root, store);
    const w1 = first.start();
    await w1.ready;
    await settlesAt('changes', () => first.changes.length, 3);
    await w1.close();

    // While closed: one changed, one added, one untouched, one touched only.
    writeFileSync(join(root, 'b.csv'), 'b, second version');
    writeFileSync(join(root, 'in/d.csv'), 'd');
    utimesSync(join(root, 'a.csv'), new Date(), new Date(Date.now() + 5000));

    const second = harness(root, store);
    const w2 = second.start();
    await w2.ready;
    await settlesAt('changes', () => second.changes.length, 2);
    expect(second.changes.map((c) => c.relPath).sort()).toEqual(['b.csv', 'in/d.csv']);
    await w2.close();

    const third = harness(root, store);
    await third.start().ready;
    await sleep(1000);
    await settlesAt('changes', () => third.changes.length, 0);
  });

  it('only files matching the glob (by name at any depth), never hidden or temp files', async () => {
    const root = tempDir();
    const h = harness(root);
    await h.start({ glob: '*.csv' }).ready;
    mkdirSync(join(root, 'sub/deeper'), { recursive: true });
    mkdirSync(join(root, '.git'));
    for (const n of ['a.csv', 'b.txt', 'sub/deeper/c.csv', '.hidden.csv', '.git/x.csv', 'd.csv.tmp', 'e.CSV']) writeFileSync(join(root, n), n);
    await settlesAt('changes', () => h.changes.length, 2);
    expect(h.changes.map((c) => c.relPath).sort()).toEqual(['a.csv', 'sub/deeper/c.csv']);
  });

  it('polling mode sees adds and changes; the periodic scan finds what events miss', async () => {
    const root = tempDir();
    const h = harness(root);
    await h.start({ polling: true, pollIntervalMs: 100, reconcileEveryMs: 0 }).ready;
    writeFileSync(join(root, 'p.csv'), '1');
    await settlesAt('changes', () => h.changes.length, 1);
    writeFileSync(join(root, 'p.csv'), '22');
    await settlesAt('changes', () => h.changes.length, 2);
    expect(h.changes.map((c) => c.size)).toEqual([1, 2]);

    // Polling so slow that no event arrives in time: only the reconciliation scan can find the file.
    const root2 = tempDir();
    const h2 = harness(root2);
    await h2.start({ polling: true, pollIntervalMs: 600_000, reconcileEveryMs: 300 }).ready;
    writeFileSync(join(root2, 'late.csv'), 'late');
    await settlesAt('changes', () => h2.changes.length, 1);
    expect(h2.changes[0].relPath).toBe('late.csv');
  });

  it('a callback that throws is reported, and its change retried by the next scan', async () => {
    const root = tempDir();
    let calls = 0;
    const h = harness(root);
    await h.start({
      reconcileEveryMs: 300,
      onChange: (c) => {
        if (++calls === 1) throw new Error('store busy');
        h.changes.push(c);
        h.store.set(c.relPath, c.hash);
      },
    }).ready;
    writeFileSync(join(root, 'r.csv'), 'r');
    await settlesAt('changes', () => h.changes.length, 1);
    expect(calls).toBe(2);
    expect(h.errors.map((e) => e.message)).toEqual(['store busy']);
  });
});
