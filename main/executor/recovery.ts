// Runs whose driving process died: kill their orphaned step processes, record why they ended.
// A run with Slurm jobs in flight outlives its owner: it is released (unclaimed) for another
// process to resume (run-claim.ts), unless it was canceled (then its jobs are cancelled too).
import { cancelJobsNow } from '../compute/slurm/cancel-jobs.js';
import type { Store } from '../store/store.js';
import { isSameProcessAlive, killOrphanGroup, selfIdentity } from './process-identity.js';

export interface RecoveryReport {
  failed: string[];
  canceled: string[];
  killedProcesses: number;
  /** Runs with Slurm jobs in flight, left for another process to resume. */
  released: string[];
}

const ACTIVE = new Set(['NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing']);

export function recoverOrphanedRuns(store: Store, only?: string): RecoveryReport {
  const report: RecoveryReport = { failed: [], canceled: [], killedProcesses: 0, released: [] };
  for (const run of store.runs.unfinishedPipelineRuns()) {
    if (only && run.id !== only) continue;
    // A run nobody owns yet (submitted, waiting for a server to pick it up) is not orphaned.
    if (run.owner_pid == null && !(only && run.cancel_requested === 1)) continue;
    if (isSameProcessAlive(run.owner_pid, run.owner_start)) continue;
    // Canceling a run that waits for an owner: take it first, so no runner starts it meanwhile.
    if (run.owner_pid == null && !store.claims.claim(run.id, selfIdentity())) continue;
    const now = Date.now();
    const canceled = run.cancel_requested === 1;
    const reason = canceled
      ? 'canceled after the millrace process that ran it had gone'
      : `the millrace process that ran it (pid ${run.owner_pid}) ended unexpectedly`;
    const patches: [string, Parameters<Store['runs']['update']>[1]][] = [];
    const steps = store.runs.stepRows(run.id);
    const jobs = steps.filter((st) => st.job_id && ACTIVE.has(st.status)).map((st) => st.job_id!);
    if (jobs.length && !canceled) {
      for (const step of steps) if (step.pid) report.killedProcesses += killOrphanGroup(step.pid, step.pid_start);
      if (store.claims.release(run.id, { pid: run.owner_pid, start: run.owner_start })) report.released.push(run.id);
      continue;
    }
    const notCanceled = cancelJobsNow(jobs);
    if (notCanceled) process.stderr.write(`millrace: run ${run.id}: ${notCanceled}\n`);
    for (const step of steps) {
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
