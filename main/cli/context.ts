// Opening the workspace a command works on (DESIGN.md section 2's resolution order).
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ensureRunner } from '../executor/run-claim.js';
import { initWorkspace, resolveWorkspaceDir, Workspace } from '../workspace/workspace.js';
import { info, summarizeList } from './output.js';

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
}

export function openWorkspace(opts: GlobalOptions): Workspace {
  const { dir, isDefault } = resolveWorkspaceDir(opts.workspace);
  if (isDefault && !existsSync(join(dir, 'millrace.yml'))) {
    initWorkspace(dir);
    info(`Created the default workspace at ${dir} (with a sample pipeline in pipelines/sample.yml)`);
  }
  const ws = Workspace.open(dir);
  if (ws.recoveryDeferred) info(`millrace: ${ws.recoveryDeferred}; runs left behind by a millrace process that is gone are recorded once there is space`);
  const r = ws.recovery;
  if (r.failed.length || r.canceled.length) {
    info(`Recovered ${r.failed.length + r.canceled.length} run(s) left behind by a millrace process that is gone` +
      `${r.killedProcesses ? `; stopped ${r.killedProcesses} orphaned step process(es)` : ''}: ${summarizeList([...r.failed, ...r.canceled])}`);
  }
  try {
    // Runs left without an owner (their Slurm jobs outlived it) get a runner that resumes them.
    if (ensureRunner(ws, r.released.length ? 0 : undefined)) {
      info(`Started a millrace runner for run(s) waiting for an owner${r.released.length ? `: ${r.released.join(', ')}` : ''} (log: runs/runner.log)`);
    }
  } catch (e) {
    info(`millrace: could not start a runner for waiting runs: ${(e as Error).message}`);
  }
  return ws;
}

/** A pipeline file named relative to the current folder, else to the workspace. */
export function pipelinePath(ws: Workspace, file: string): string {
  if (isAbsolute(file) || existsSync(file)) return resolve(file);
  const inWs = join(ws.dir, file);
  return existsSync(inWs) ? inWs : resolve(file);
}

/** Opens the workspace for one command and closes it afterwards, whatever happens. */
export function withWorkspace<T>(opts: GlobalOptions, fn: (ws: Workspace) => T): T {
  const ws = openWorkspace(opts);
  try {
    return fn(ws);
  } finally {
    ws.close();
  }
}
