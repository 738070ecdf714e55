// ContentHasher (main/reuse/content-hasher.ts) stops at its AbortSignal: between files of a folder
// and between chunks of a large file, with an error named 'AbortError'.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentHasher } from '../../main/reuse/content-hasher.js';
import { Store } from '../../main/store/store.js';

let dir: string;
let store: Store;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-hasher-'));
  store = Store.open(join(dir, 'millrace.db'));
  mkdirSync(join(dir, 'many'));
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, 'many', `f${String(i).padStart(2, '0')}.txt`), `file ${i}\n`);
  // Sparse: 512 MiB on paper, nothing on disk; reading it all would take hundreds of chunks.
  writeFileSync(join(dir, 'big.bin'), '');
  truncateSync(join(dir, 'big.bin'), 512 * 1024 * 1024);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the hash to be canceled');
}

describe('ContentHasher and AbortSignal', () => {
  it('hashes as before without a signal', async () => {
    const h = await new ContentHasher(store.fileHashes).hashPath(join(dir, 'many'));
    expect(h.files).toHaveLength(40);
  });

  it('refuses to start with an aborted signal', async () => {
    const e = await rejection(new ContentHasher(store.fileHashes).hashPath(join(dir, 'many'), undefined, AbortSignal.abort()));
    expect(e.name).toBe('AbortError');
    const f = await rejection(new ContentHasher(store.fileHashes).hashFile(join(dir, 'big.bin'), undefined, AbortSignal.abort()));
    expect(f.name).toBe('AbortError');
  });

  it('stops between the files of a folder', async () => {
    const ctl = new AbortController();
    const seen: string[] = [];
    // The filter sees each entry before it is hashed: abort at the 10th, then count what follows.
    const filter = (rel: string) => {
      seen.push(rel);
      if (seen.length === 10) ctl.abort();
      return true;
    };
    const e = await rejection(new ContentHasher(store.fileHashes).hashPath(join(dir, 'many'), filter, ctl.signal));
    expect(e.name).toBe('AbortError');
    expect(seen).toHaveLength(10);
  });

  it('stops inside a large file, between chunks', async () => {
    const ctl = new AbortController();
    const hashing = new ContentHasher(store.fileHashes).hashPath(join(dir, 'big.bin'), undefined, ctl.signal);
    // The read stream is at its first chunks when this runs; before, the whole file was read anyway.
    setImmediate(() => ctl.abort());
    const e = await rejection(hashing);
    expect(e.name).toBe('AbortError');
    expect(e.message).toBe('hashing was canceled');
  });
});
