// Test helpers: a fresh real workspace in a temp dir, and the CLI as a real child process.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recoverWorkspace } from '../../main/executor/recovery.js';
import { initWorkspace, Workspace } from '../../main/workspace/workspace.js';

/** A workspace as every millrace process opens it: runs that dead processes left behind are recovered. */
export function openRecovered(dir: string): Workspace {
  const ws = Workspace.open(dir);
  recoverWorkspace(ws);
  return ws;
}

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = join(repoRoot, 'bin', 'millrace.js');

export interface TempWorkspace {
  dir: string;
  /** Write a file relative to the workspace. */
  write(rel: string, text: string): string;
  open(): Workspace;
  cleanup(): void;
}

/** A new workspace with the sample; millrace.yml may be replaced by `config`. */
export function tempWorkspace(config?: string): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'millrace-test-'));
  initWorkspace(dir);
  const write = (rel: string, text: string) => {
    const p = join(dir, rel);
    writeFileSync(p, text);
    return p;
  };
  if (config !== undefined) write('millrace.yml', config);
  return { dir, write, open: () => openRecovered(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the built CLI (`npm run build` first) synchronously. */
export function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 1 << 28 });
}

/** Starts the CLI in the background. */
export function cliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawn(process.execPath, [cliPath, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
