// Tests that run compiled Electron code (scripts/start.mjs, the main process under a fake
// `electron`) build main/electron first when its output is missing or older than the sources.
// Test files run in parallel workers: a lock folder makes one build, the others wait for it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/workspace.js';

export const electronOut = join(repoRoot, 'dist', 'electron', 'main', 'electron');
const src = join(repoRoot, 'main', 'electron');
const lock = join(repoRoot, 'dist', '.electron-build.lock');

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function upToDate(): boolean {
  const built = join(electronOut, 'main.js');
  const newest = Math.max(...readdirSync(src).map((f) => statSync(join(src, f)).mtimeMs));
  return existsSync(built) && statSync(built).mtimeMs >= newest;
}

export function ensureElectronBuild(): void {
  for (let waited = 0; !upToDate(); waited += 100) {
    mkdirSync(join(repoRoot, 'dist'), { recursive: true });
    try {
      mkdirSync(lock);
    } catch {
      // Another worker builds (or a crashed one left the lock: take it after two minutes).
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true });
      sleep(100);
      continue;
    }
    try {
      if (upToDate()) return;
      const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(src, 'tsconfig.json')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`tsc -p main/electron failed:\n${r.stdout}${r.stderr}`);
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
