// Runs waiting for an owner (AZUREML.md section 10.4a, docs/compute.md). A run is recorded or
// released unclaimed; exactly one process claims it, by one conditional UPDATE of its owner:
// the `serve` (or desktop app) holding the workspace's owner lock polls every second, else the
// workspace's one detached `millrace runner` does. Any millrace process opening the workspace
// starts that runner for a run left unclaimed too long, so a run is never lost and never run twice.
import { closeSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { nodeBinary } from '../node-binary.js';
import { packageRoot } from '../package-root.js';
import type { Workspace } from '../workspace/workspace.js';
import { isSameProcessAlive, selfIdentity } from './process-identity.js';
import type { RunPlan } from './plan.js';
import { recordRun, type SubmitOptions } from './submit.js';

export const CLAIM_EVERY_MS = 1000;
/** A run unclaimed this long gets a runner from whichever millrace process opens the workspace. */
export const UNCLAIMED_GRACE_MS = 10_000;

/** True while a live process holds the owner lock (a `serve`, the desktop app): it claims the runs. */
export function servedByOwner(ws: Workspace): boolean {
  const o = ws.store.schedules.owner();
  return !!o && isSameProcessAlive(o.pid, o.start);
}

/** Claims every unclaimed run for this process; `drive` gets each one won. */
export function claimUnclaimed(ws: Workspace, drive: (runId: string) => void): string[] {
  const me = selfIdentity();
  const won: string[] = [];
  for (const u of ws.store.claims.unclaimed()) {
    if (!ws.store.claims.claim(u.id, me)) continue; // another process was first
    won.push(u.id);
    drive(u.id);
  }
  return won;
}

/** Claims unclaimed runs every second (the owner lock's holder); returns the disposer. */
export function startClaiming(ws: Workspace, drive: (runId: string) => void, everyMs = CLAIM_EVERY_MS): () => void {
  const tick = () => {
    try {
      claimUnclaimed(ws, drive);
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') process.stderr.write(`millrace: cannot claim waiting runs: ${(e as Error).message}\n`);
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Records a run that this process will not drive (the SDK's submits, AZUREML.md section 10.4a):
 * validated and recorded unclaimed in one go; the serve owning the workspace claims it within a
 * second, else a `millrace runner` started here does. The caller may exit at once.
 */
export function submitUnclaimed(ws: Workspace, file: string, o: Omit<SubmitOptions, 'onEvent' | 'unclaimed'>): { runId: string; experiment: string; plan: RunPlan } {
  const recorded = recordRun(ws, file, { ...o, unclaimed: true });
  ensureRunner(ws, 0);
  return recorded;
}

/** The command that starts a runner: this Node with Millrace's CLI. */
export const runnerCommand = (dir: string): string[] => [nodeBinary(), join(packageRoot(), 'bin', 'millrace.js'), 'runner', '-w', dir];

/**
 * Starts a detached `millrace runner` (own session, stdio appended to runs/runner.log) when a run
 * has waited for an owner at least `minWaitMs` and neither a serve nor a live runner will claim it.
 * Returns whether one was started.
 */
export function ensureRunner(ws: Workspace, minWaitMs = UNCLAIMED_GRACE_MS, now = Date.now()): boolean {
  const waiting = ws.store.claims.unclaimed().filter((u) => now - u.since >= minWaitMs);
  if (!waiting.length || servedByOwner(ws)) return false;
  const lock = ws.store.claims.runnerLock();
  if (lock && isSameProcessAlive(lock.pid, lock.start)) return false;
  const log = openSync(join(ws.dir, 'runs', 'runner.log'), 'a');
  try {
    const [cmd, ...args] = runnerCommand(ws.dir);
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', log, log], cwd: ws.dir, env: process.env });
    child.on('error', () => {}); // reported in runner.log by the next opener's attempt, if any
    child.unref();
  } finally {
    closeSync(log);
  }
  return true;
}
