// Status changes of runs that another process drives (a `millrace run` in a terminal, a second
// server): found by polling the store, announced on the same event stream as our own.
import type { RunStatus } from '../../shared/constants.js';
import { selfIdentity } from '../executor/process-identity.js';
import type { RunManager } from '../executor/run-manager.js';
import type { Workspace } from '../workspace/workspace.js';

interface Seen {
  status: RunStatus;
  steps: Map<string, RunStatus>;
}

/** Starts polling; returns the disposer. */
export function watchForeignRuns(ws: Workspace, runs: RunManager, everyMs = 1000): () => void {
  const seen = new Map<string, Seen>();
  let first = true;
  const diff = (runId: string) => {
    const tree = ws.store.runQueries.statusTree(runId);
    const run = tree.find((r) => r.id === runId);
    if (!run) return seen.delete(runId);
    let s = seen.get(runId);
    const fresh = !s;
    if (!s) seen.set(runId, (s = { status: run.status, steps: new Map() }));
    for (const step of tree) {
      if (step.id === runId) continue;
      const before = s.steps.get(step.id);
      s.steps.set(step.id, step.status);
      if (!first && before !== step.status && !(fresh && step.status === 'NotStarted')) {
        runs.announce({ type: 'step', runId, stepRunId: step.id, step: step.name, status: step.status, reusedFrom: step.reusedFrom, error: step.error });
      }
    }
    if (!first && (fresh || s.status !== run.status)) runs.announce({ type: 'run', runId, status: run.status, error: run.error });
    s.status = run.status;
  };
  const tick = () => {
    try {
      // Runs this process owns are skipped in SQL: a backlog of our own submits costs the poll nothing.
      const active = ws.store.runQueries.activeRuns(selfIdentity()).filter((r) => !runs.owns(r.id));
      const ids = new Set(active.map((r) => r.id));
      for (const r of active) {
        const s = seen.get(r.id);
        if (!s || s.status !== r.status || r.status === 'Running') diff(r.id);
      }
      // Runs that ended since the last tick: one last look, then forget them.
      for (const id of [...seen.keys()]) {
        if (!ids.has(id)) {
          diff(id);
          seen.delete(id);
        }
      }
      first = false;
    } catch {
      /* a busy database: next tick */
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
