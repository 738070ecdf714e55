// `npm run bench -- snapshots`: what a step's code snapshot and working copy cost (AZUREML.md
// section 10.4d, docs/engine.md): a new snapshot (hash + copy), an existing one (hashes cached by
// size and mtime), and a fresh working copy, for a small source folder and the 2,000-file edge.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/main/', import.meta.url);
const { takeSnapshot, sourceDirFiles, makeWorkingCopy } = await import(new URL('snapshots/code-snapshot.js', dist).href);
const { Store } = await import(new URL('store/store.js', dist).href);
const { ContentHasher } = await import(new URL('reuse/content-hasher.js', dist).href);

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

export async function runSnapshotsBench() {
  console.log('\n## Code snapshots and working copies\n');
  console.log('Median of 9 (a new snapshot: 3 fresh folders); ms\n');
  console.log('| code | new snapshot | existing snapshot | working copy |');
  console.log('|---|---|---|---|');
  for (const [files, size] of [[50, 2_000], [2_000, 5_000]]) {
    const firsts = [];
    const again = [];
    const copies = [];
    for (let round = 0; round < 3; round++) {
      const ws = mkdtempSync(join(tmpdir(), 'millrace-bench-snap-'));
      try {
        const src = join(ws, 'code');
        for (let i = 0; i < files; i++) {
          const d = join(src, `d${i % 20}`);
          mkdirSync(d, { recursive: true });
          // Distinct per round: each round's first snapshot is new.
          writeFileSync(join(d, `f${i}.py`), `${'x'.repeat(size)}${round}:${i}`);
        }
        const store = Store.open(join(ws, 'millrace.db'));
        try {
          const hasher = new ContentHasher(store.fileHashes);
          let hash;
          firsts.push(time(() => (hash = takeSnapshot(ws, hasher, sourceDirFiles(src, ws)).hash)));
          for (let i = 0; i < 3; i++) again.push(time(() => takeSnapshot(ws, hasher, sourceDirFiles(src, ws))));
          for (let i = 0; i < 3; i++) copies.push(time(() => makeWorkingCopy(ws, hash, join(ws, 'runs', `r${i}`, 'wd'))));
        } finally {
          store.close();
        }
      } finally {
        rmSync(ws, { recursive: true, force: true });
      }
    }
    console.log(`| ${files.toLocaleString('en')} files of ${(size / 1000).toFixed(0)} KB | ${median(firsts).toFixed(1)} | ${median(again).toFixed(1)} | ${median(copies).toFixed(1)} |`);
  }
}
