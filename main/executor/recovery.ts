// Runs whose driving process died: kill their orphaned step processes, record why they ended.
import type { Store } from '../store/store.js';
import { isSameProcessAlive, killOrphanGroup } from './process-identity.js';

export interface RecoveryReport {
  failed: string[];
  canceled: string[];
  killedProcesses: number;
}

const ACTIVE = new Set(['NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing']);

export function recoverOrphanedRuns(store: Store, only?: string): RecoveryReport {
  const report: RecoveryReport = { failed: [], canceled: [], killedProcesses: 0 };
  for (const run of store.runs.unfinishedPipelineRuns()) {
    if (only && run.id !== only) continue;
    // A run nobody owns yet (submitted, waiting for a server to pick it up) is not orphaned.
    if (run.owner_pid == null && !(only && run.cancel_requested === 1)) continue;
    if (isSameProcessAlive(run.owner_pid, run.owner_start)) continue;
    const now = Date.now();
    const canceled = run.cancel_requested === 1;
    const reason = canceled
      ? 'canceled after the millrace process that ran it had gone'
      : `the millrace process that ran it (pid ${run.owner_pid}) ended unexpectedly`;
    const patches: [string, Parameters<Store['runs']['update']>[1]][] = [];
    for (const step of store.runs.stepRows(run.id)) {
      if (step.pid) report.killedProcesses += killOrphanGroup(step.pid, step.pid_start);
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
