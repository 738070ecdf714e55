// Unclaimed runs (AZUREML.md section 10.4a): exactly one process claims a run; a runner claims and
// drives what waits, resumed from the store, then leaves and gives its lock back.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selfIdentity } from '../../main/executor/process-identity.js';
import { submitUnclaimed } from '../../main/executor/run-claim.js';
import { recordRun } from '../../main/executor/submit.js';
import { runWorkspaceRunner } from '../../main/executor/workspace-runner.js';
import { Store } from '../../main/store/store.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { execConfig, sh, step, writePipeline } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace | undefined;
afterEach(() => {
  ws?.close();
  ws = undefined;
  tmp.cleanup();
});

/** Records a run and gives it up, as an SDK submit will: it waits for an owner. */
function recordUnclaimed(file: string): string {
  const { runId } = recordRun(ws!, file, { trigger: { kind: 'cli' } });
  expect(ws!.store.claims.release(runId, selfIdentity())).toBe(true);
  return runId;
}

describe('claims', () => {
  it('lets exactly one of two connections claim an unclaimed run', () => {
    tmp = tempWorkspace(execConfig(2));
    ws = tmp.open();
    const runId = recordUnclaimed(writePipeline(tmp, 'p', { steps: { a: { type: 'command', command: ['true'] } } }));
    const other = Store.open(join(tmp.dir, 'millrace.db'));
    try {
      expect(ws.store.claims.unclaimed().map((u) => u.id)).toEqual([runId]);
      const first = other.claims.claim(runId, { pid: 1, start: 'x' });
      const second = ws.store.claims.claim(runId, selfIdentity());
      expect([first, second]).toEqual([true, false]);
      expect(ws.store.claims.unclaimed()).toEqual([]);
      expect(ws.store.runs.state(runId)).toMatchObject({ ownerPid: 1, ownerStart: 'x', unclaimedSince: null });
    } finally {
      other.close();
    }
  });

  it('a runner claims a waiting run, drives it from its rows to the end, then releases its lock when idle', async () => {
    tmp = tempWorkspace(execConfig(2));
    ws = tmp.open();
    const file = writePipeline(tmp, 'p', {
      steps: {
        a: { type: 'command', outputs: { o: {} }, command: sh('echo A > "$0/f"', '${{outputs.o}}') },
        b: { type: 'command', inputs: { i: '${{steps.a.outputs.o}}' }, command: sh('cat "$0/f"', '${{inputs.i}}') },
      },
    });
    // As the SDK will: recorded unclaimed; the runner is this process's, below (submitUnclaimed would start a detached one).
    const { runId } = recordRun(ws, file, { trigger: { kind: 'cli' }, unclaimed: true });
    expect(ws.store.runs.state(runId)!.ownerPid).toBeNull();
    const lines: string[] = [];
    expect(await runWorkspaceRunner(ws, { idleMs: 50, everyMs: 20, log: (l) => lines.push(l) })).toBe('idle');
    const rec = ws.store.runs.get(runId);
    expect(rec.status).toBe('Completed');
    expect(rec.durationMs).not.toBeNull();
    expect(step(rec, 'b').status).toBe('Completed');
    expect(lines).toContain(`claimed run ${runId}`);
    expect(ws.store.claims.runnerLock()).toBeUndefined();
    expect(ws.store.runs.state(runId)!.ownerPid).toBe(process.pid);
  });

  it('submitting unclaimed starts a detached runner, which drives the run to its end and leaves when idle', async () => {
    tmp = tempWorkspace(execConfig(2));
    ws = tmp.open();
    const file = writePipeline(tmp, 'p', { steps: { a: { type: 'command', command: sh('echo detached') } } });
    const before = process.env.MILLRACE_RUNNER_IDLE_MS;
    process.env.MILLRACE_RUNNER_IDLE_MS = '200';
    let runId: string;
    try {
      ({ runId } = submitUnclaimed(ws, file, { trigger: { kind: 'cli' } }));
    } finally {
      if (before === undefined) delete process.env.MILLRACE_RUNNER_IDLE_MS;
      else process.env.MILLRACE_RUNNER_IDLE_MS = before;
    }
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 30_000;
    const done = () => ws!.store.runs.get(runId).status === 'Completed' && !ws!.store.claims.runnerLock();
    while (Date.now() < deadline && !done()) await new Promise((r) => setTimeout(r, 50));
    expect(ws.store.runs.get(runId).status).toBe('Completed');
    const owner = ws.store.runs.state(runId)!.ownerPid!;
    expect(owner).not.toBe(process.pid);
    expect(ws.store.claims.runnerLock()).toBeUndefined(); // it left its lock ...
    while (Date.now() < deadline && alive(owner)) await new Promise((r) => setTimeout(r, 50));
    expect(alive(owner)).toBe(false); // ... and exited: the workspace can go
  });

  it('a second runner leaves while the first one lives', async () => {
    tmp = tempWorkspace(execConfig(2));
    ws = tmp.open();
    expect(ws.store.claims.takeRunnerLock({ pid: process.pid, start: selfIdentity().start }, () => true)).toBeUndefined();
    // The lock is held by this (live) process under another identity's eyes: a different start time is not us.
    const other = Store.open(join(tmp.dir, 'millrace.db'));
    try {
      expect(other.claims.takeRunnerLock({ pid: 1, start: 'other' }, () => true)).toMatchObject({ pid: process.pid });
      expect(other.claims.releaseRunnerLockIfIdle({ pid: 1, start: 'other' })).toBe(true); // not its lock: nothing removed
      expect(ws.store.claims.runnerLock()).toMatchObject({ pid: process.pid });
    } finally {
      other.close();
    }
  });
});
