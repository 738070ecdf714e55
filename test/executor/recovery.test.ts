// Cancel (in-process and from another process) and crash recovery, with real process groups.
// The CLI tests run dist/ (`npm run build` first).
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../main/executor/process-identity.js';
import { submitRun } from '../../main/executor/submit.js';
import { Store } from '../../main/store/store.js';
import { recoverWorkspace } from '../../main/executor/recovery.js';
import { Workspace } from '../../main/workspace/workspace.js';
import { execConfig, groupMembers, pidAlive, readPids, sh, SLEEPERS, step, waitFor, writePipeline } from '../helpers/executor.js';
import { cli, cliAsync, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let pidFile: string;
let file: string;
const children: ChildProcess[] = [];
const stray: { pid: number; start: string | undefined }[] = [];

beforeEach(() => {
  tmp = tempWorkspace(execConfig(2));
  pidFile = join(tmp.dir, 'pids');
  file = writePipeline(tmp, 'long', {
    steps: {
      long: { type: 'command', command: sh(SLEEPERS, pidFile) },
      later: { type: 'command', run_after: ['long'], command: ['true'] },
    },
  });
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  // Only our own leftovers: a pid is checked against its start time before it is killed.
  for (const p of stray.splice(0)) if (p.start && processStartTime(p.pid) === p.start) process.kill(p.pid, 'SIGKILL');
  tmp.cleanup();
});

/** The step's shell and its two sleeps, once they all run. */
async function sleepers(): Promise<number[]> {
  const pids = await waitFor(() => readPids(pidFile, 3), 'the step to start its processes');
  stray.push(...pids.map((pid) => ({ pid, start: processStartTime(pid) })));
  expect(pids.every(pidAlive)).toBe(true);
  return pids;
}

const allGone = (pids: number[]) => waitFor(() => pids.every((p) => !pidAlive(p)) && groupMembers(pids[2]).length === 0, 'the step processes to be gone', 10_000);

function exited(c: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve({ code: c.exitCode, signal: c.signalCode });
  return new Promise((r) => c.once('exit', (code, signal) => r({ code, signal })));
}

/**
 * A step script: a grandchild in its own session (out of the step's process group; it writes
 * its pid into "$1" only once there), a plain background child, the shell last; then it waits.
 */
const ESCAPER = `setsid sh -c 'echo $$ >> "$0"; exec sleep 300' "$1" & sleep 300 & echo $! >> "$1"; ` +
  'while [ $(wc -l < "$1") -lt 2 ]; do sleep 0.01; done; echo $$ >> "$1"; wait';

/** `millrace run` in the background; resolves with the run id once the long step runs with a recorded pid. */
async function startCliRun(): Promise<{ child: ChildProcess; runId: string; output: () => string; pids: number[] }> {
  const child = cliAsync(['run', file, '-w', tmp.dir]);
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const runId = await waitFor(() => /^Run (\w+) of/m.exec(output)?.[1], `the run id in the CLI output`);
  const pids = await sleepers();
  // Read the row the way another process does: directly from the database file.
  const store = Store.open(join(tmp.dir, 'millrace.db'));
  try {
    await waitFor(() => {
      const row = store.runs.stepStates(runId).find((s) => s.name === 'long');
      return row?.status === 'Running' && row.pid != null;
    }, 'the step to be Running with its pid recorded');
  } finally {
    store.close();
  }
  return { child, runId, output: () => output, pids };
}

describe('cancel', () => {
  let ws: Workspace | undefined;
  afterEach(() => ws?.close());

  it('cancels a running run in-process and kills the whole process group', async () => {
    ws = tmp.open();
    const { runId, runner } = submitRun(ws, file, { trigger: { kind: 'cli' } });
    const done = runner.run();
    const pids = await sleepers();
    runner.cancel();
    expect(await done).toBe('Canceled');
    await allGone(pids);
    const rec = ws.store.runs.get(runId);
    expect(rec.status).toBe('Canceled');
    expect(step(rec, 'long').status).toBe('Canceled');
    expect(step(rec, 'later').status).toBe('Canceled');
    expect(rec.endedAt).not.toBeNull();
  });

  it('cancels a run from another process with `millrace runs cancel`', async () => {
    const { child, runId, pids } = await startCliRun();
    const r = cli(['runs', 'cancel', runId, '-w', tmp.dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: runId, status: 'Canceled' });
    expect(await exited(child)).toEqual({ code: 1, signal: null });
    await allGone(pids);
    ws = Workspace.open(tmp.dir);
    expect(recoverWorkspace(ws).report.failed).toEqual([]);
    expect(ws.store.runs.get(runId).status).toBe('Canceled');
  });
});

describe('cancel of a step that left its process group', () => {
  it('`runs cancel` also kills a setsid grandchild', async () => {
    file = writePipeline(tmp, 'escape', { steps: { long: { type: 'command', command: sh(ESCAPER, 'unused', pidFile) } } });
    const { child, runId, pids } = await startCliRun();
    const r = cli(['runs', 'cancel', runId, '-w', tmp.dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: runId, status: 'Canceled' });
    expect(await exited(child)).toEqual({ code: 1, signal: null });
    await allGone(pids);
  });
});

describe('a run whose engine was killed -9 the instant its step started', () => {
  // The step kills its engine as its very first act (before the engine could commit the step's
  // pid), then starts processes in its group and one out of it.
  const SUICIDE = `until [ -s "$0" ]; do sleep 0.01; done; read engine < "$0"; kill -9 "$engine"; ${ESCAPER}`;

  async function killedAtStart(env: NodeJS.ProcessEnv): Promise<{ runId: string; pids: number[] }> {
    const enginePid = join(tmp.dir, 'engine-pid');
    file = writePipeline(tmp, 'suicide', { steps: { first: { type: 'command', command: sh(SUICIDE, enginePid, pidFile) } } });
    const child = cliAsync(['run', file, '-w', tmp.dir], { env });
    children.push(child);
    writeFileSync(enginePid, `${child.pid}\n`);
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGKILL' });
    // The step goes on without its engine until somebody recovers the run.
    const pids = await sleepers();
    const store = Store.open(join(tmp.dir, 'millrace.db'));
    const runId = store.runs.list()[0].id;
    store.close();
    return { runId, pids };
  }

  it.each([
    ['the spawn helper', {}],
    ["Node's spawn", { MILLRACE_SPAWNER: 'node' }],
  ])('recovery (Workspace.open) leaves no process of it, started through %s', async (_label, env) => {
    const { runId, pids } = await killedAtStart(env);
    const ws = Workspace.open(tmp.dir);
    const wsRecovery = recoverWorkspace(ws).report;
    try {
      expect(wsRecovery.failed).toEqual([runId]);
      expect(wsRecovery.killedProcesses).toBeGreaterThanOrEqual(3);
      await allGone(pids);
      expect(ws.store.runs.get(runId).status).toBe('Failed');
    } finally {
      ws.close();
    }
  });

  it('`runs cancel` of it reaches every process', async () => {
    const { runId, pids } = await killedAtStart({});
    const r = cli(['runs', 'cancel', runId, '-w', tmp.dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: runId, status: 'Failed' });
    await allGone(pids);
  });
});

describe('crash recovery', () => {
  it('fails over a run whose CLI was killed -9 and kills its orphaned step processes (Workspace.open)', async () => {
    const { child, runId, pids } = await startCliRun();
    child.kill('SIGKILL');
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGKILL' });
    // The step's process group outlives its owner until somebody recovers the run.
    expect(pids.every(pidAlive)).toBe(true);
    const ws = Workspace.open(tmp.dir);
    const wsRecovery = recoverWorkspace(ws).report;
    try {
      expect(wsRecovery.failed).toEqual([runId]);
      expect(wsRecovery.killedProcesses).toBeGreaterThanOrEqual(3);
      await allGone(pids);
      const rec = ws.store.runs.get(runId);
      expect(rec.status).toBe('Failed');
      expect(rec.error).toContain(`pid ${child.pid}`);
      expect(rec.endedAt).not.toBeNull();
      expect(step(rec, 'long').status).toBe('Failed');
      expect(step(rec, 'long').error).toContain(`pid ${child.pid}`);
      expect(step(rec, 'later')).toMatchObject({ status: 'Canceled', error: expect.stringMatching(/^not run: the millrace process that ran it/) });
      expect(ws.store.rawConnection().pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      ws.close();
    }
    // Recovery happens once: the next open finds nothing to do.
    const again = Workspace.open(tmp.dir);
    const againRecovery = recoverWorkspace(again).report;
    expect(againRecovery).toEqual({ failed: [], canceled: [], killedProcesses: 0, released: [] });
    again.close();
  });

  it('recovers on any CLI command, which says so on stderr', async () => {
    const { child, runId, pids } = await startCliRun();
    child.kill('SIGKILL');
    await exited(child);
    const r = cli(['runs', 'show', runId, '-w', tmp.dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Recovered 1 run/);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: runId, status: 'Failed' });
    await allGone(pids);
  });

  it('leaves a run owned by a live process alone', async () => {
    const { child, runId, pids } = await startCliRun();
    const ws = Workspace.open(tmp.dir);
    const wsRecovery = recoverWorkspace(ws).report;
    try {
      expect(wsRecovery.failed).toEqual([]);
      expect(ws.store.runs.get(runId).status).toBe('Running');
    } finally {
      ws.close();
    }
    const list = cli(['runs', 'list', '-w', tmp.dir, '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ id: runId, status: 'Running' });
    expect(pids.every(pidAlive)).toBe(true);
    // SIGTERM to the CLI (what Ctrl-C in another terminal would be) cancels the run cleanly.
    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 1, signal: null });
    await allGone(pids);
    const after = Workspace.open(tmp.dir);
    const afterRecovery = recoverWorkspace(after).report;
    expect(after.store.runs.get(runId).status).toBe('Canceled');
    after.close();
  });

  it('cancels a run whose owner is gone from `runs cancel` without waiting for anybody', async () => {
    const { child, runId, pids } = await startCliRun();
    child.kill('SIGKILL');
    await exited(child);
    // Mark it for cancel first, as a `runs cancel` racing the crash would.
    const store = Store.open(join(tmp.dir, 'millrace.db'));
    store.runs.requestCancel(runId);
    store.close();
    const r = cli(['runs', 'cancel', runId, '-w', tmp.dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: runId, status: 'Canceled' });
    await allGone(pids);
  });
});
