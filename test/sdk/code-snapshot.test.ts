// Content-addressed code snapshots (main/snapshots/code-snapshot.ts, AZUREML.md section 10.4d).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContentHasher } from '../../main/reuse/content-hasher.js';
import { LARGE_SNAPSHOT, makeWorkingCopy, sourceDirFiles, takeSnapshot } from '../../main/snapshots/code-snapshot.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tw: TempWorkspace;
let ws: Workspace;
beforeAll(() => {
  tw = tempWorkspace();
  ws = tw.open();
});
const big = () => join(tw.dir, '..', `${tw.dir.split('/').pop()}-big`);
afterAll(() => {
  ws.close();
  tw.cleanup();
  rmSync(big(), { recursive: true, force: true });
});

it('a source folder past 2,000 files warns once, naming the ignore files; the same content is one snapshot, taken once', async () => {
  const src = big();
  mkdirSync(join(src, 'data'), { recursive: true });
  writeFileSync(join(src, 'train.py'), 'print(1)\n');
  for (let i = 0; i <= LARGE_SNAPSHOT.files; i++) writeFileSync(join(src, 'data', `${i}.csv`), `${i}\n`);
  const warnings: string[] = [];
  const hasher = new ContentHasher(ws.store.fileHashes);
  const take = (h = hasher) => takeSnapshot(ws.dir, h, sourceDirFiles(src, ws.dir), (w) => warnings.push(w));
  const { hash } = take();
  expect(warnings).toEqual([expect.stringMatching(new RegExp(`^the code of ${src} is 0 MB in 2002 files; .*\\.gitignore, \\.millraceignore, \\.amlignore$`))]);
  expect(take().hash).toBe(hash);
  expect(warnings).toHaveLength(1);
  // With the data ignored, the code is one file: another snapshot, no warning.
  writeFileSync(join(src, '.amlignore'), 'data/\n');
  const small = take(new ContentHasher(ws.store.fileHashes)).hash;
  expect(readdirSync(join(tw.dir, 'snapshots', small)).sort()).toEqual(['.amlignore', 'train.py']);
  expect(warnings).toHaveLength(1);
  expect(readdirSync(join(tw.dir, 'snapshots')).filter((d) => d.startsWith('.'))).toEqual([]);
  // Named by content: the folder hashes to its name. A working copy is a copy, not a link.
  expect((await new ContentHasher(ws.store.fileHashes).hashPath(join(tw.dir, 'snapshots', small))).hash).toBe(small);
  const wd = join(tw.dir, 'wd');
  makeWorkingCopy(ws.dir, small, wd);
  writeFileSync(join(wd, 'train.py'), 'changed\n');
  expect(readFileSync(join(tw.dir, 'snapshots', small, 'train.py'), 'utf8')).toBe('print(1)\n');
});
