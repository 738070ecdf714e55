// Runs whose driving process died: kill their orphaned step processes, record why they ended.
import type { Store } from '../store/store.js';
import { isSameProcessAlive, signalOrphanGroup } from './process-identity.js';
import { killMarked, runMarker } from './process-marker.js';

export interface RecoveryReport {
  failed: string[];
  canceled: string[];
  killedProcesses: number;
}

const ACTIVE = new Set(['NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing']);

/**
 * Kills every process of these pipeline runs: the process groups of the step pids the store
 * holds, and every process carrying a run's environment marker — which also finds processes
 * that left their group (setsid) and steps whose pid was never committed (the owner died
 * between starting the step and writing its pid). Returns how many processes were killed.
 */
export function killRunProcesses(store: Store, runIds: readonly string[]): number {
  if (!runIds.length) return 0;
  const killed = new Set<number>();
  for (const runId of runIds) {
    for (const step of store.runs.stepRows(runId)) {
      if (step.pid) for (const pid of signalOrphanGroup(step.pid, step.pid_start)) killed.add(pid);
    }
  }
  for (const pid of killMarked(runIds.map(runMarker), killed)) killed.add(pid);
  return killed.size;
}

export function recoverOrphanedRuns(store: Store, only?: string): RecoveryReport {
  const report: RecoveryReport = { failed: [], canceled: [], killedProcesses: 0 };
  const orphaned = store.runs.unfinishedPipelineRuns().filter((run) => {
    if (only && run.id !== only) return false;
    // A run nobody owns yet (submitted, waiting for a server to pick it up) is not orphaned.
    if (run.owner_pid == null && !(only && run.cancel_requested === 1)) return false;
    return !isSameProcessAlive(run.owner_pid, run.owner_start);
  });
  // Processes first, records after: a crash in between leaves the runs unfinished, so the
  // next recovery finds them again (the other order could leave processes nobody looks for).
  report.killedProcesses = killRunProcesses(store, orphaned.map((r) => r.id));
  for (const run of orphaned) {
    const now = Date.now();
    const canceled = run.cancel_requested === 1;
    const reason = canceled
      ? 'canceled after the millrace process that ran it had gone'
      : `the millrace process that ran it (pid ${run.owner_pid}) ended unexpectedly`;
    const patches: [string, Parameters<Store['runs']['update']>[1]][] = [];
    for (const step of store.runs.stepRows(run.id)) {
      if (!ACTIVE.has(step.status)) continue;
      if (step.status === 'NotStarted') patches.push([step.id, { status: canceled ? 'Canceled' : 'NotStarted', pid: null }]);
      else patches.push([step.id, { status: canceled ? 'Canceled' : 'Failed', ended_at: now, error: reason, pid: null }]);
    }
    patches.push([run.id, { status: canceled ? 'Canceled' : 'Failed', ended_at: now, error: reason }]);
    store.runs.updateMany(patches);
    (canceled ? report.canceled : report.failed).push(run.id);
  }
  return report;
}
