// Runs whose driving process died: kill their orphaned step processes, record why they ended.
// A run with Slurm jobs in flight outlives its owner: it is released (unclaimed) for another
// process to resume (run-claim.ts), unless it was canceled (then its jobs are cancelled too).
import { UNFINISHED_STATUSES } from '../../shared/constants.js';
import { cancelJobsNow } from '../compute/slurm/cancel-jobs.js';
import type { Store } from '../store/store.js';
import type { Workspace } from '../workspace/workspace.js';
import { isStoreFull, storeProblem } from './store-problem.js';
import { isSameProcessAlive, killOrphanGroup, selfIdentity, signalOrphanGroup } from './process-identity.js';
import { killMarked, runMarker } from './process-marker.js';

export interface RecoveryReport {
  failed: string[];
  canceled: string[];
  killedProcesses: number;
  /** Runs with Slurm jobs in flight, left for another process to resume. */
  released: string[];
}

const ACTIVE = new Set<string>(UNFINISHED_STATUSES);

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
    for (const step of store.runs.stepStates(runId)) {
      if (step.pid) for (const pid of signalOrphanGroup(step.pid, step.pidStart)) killed.add(pid);
    }
  }
  for (const pid of killMarked(runIds.map(runMarker), killed)) killed.add(pid);
  return killed.size;
}

export function recoverOrphanedRuns(store: Store, only?: string): RecoveryReport {
  const report: RecoveryReport = { failed: [], canceled: [], killedProcesses: 0, released: [] };
  const orphaned: { run: ReturnType<Store['runs']['unfinishedPipelineRuns']>[number]; jobs: string[] }[] = [];
  for (const run of store.runs.unfinishedPipelineRuns()) {
    if (only && run.id !== only) continue;
    // A run nobody owns yet (submitted, waiting for a server to pick it up) is not orphaned.
    if (run.ownerPid == null && !(only && run.cancelRequested)) continue;
    if (isSameProcessAlive(run.ownerPid, run.ownerStart)) continue;
    // Canceling a run that waits for an owner: take it first, so no runner starts it meanwhile.
    if (run.ownerPid == null && !store.claims.claim(run.id, selfIdentity())) continue;
    const steps = store.runs.stepStates(run.id);
    const jobs = steps.filter((st) => st.jobId && ACTIVE.has(st.status)).map((st) => st.jobId!);
    if (jobs.length && !run.cancelRequested) {
      // Its Slurm jobs go on (a runner resumes the run); its local step processes died with their owner.
      for (const step of steps) if (step.pid && !step.jobId) report.killedProcesses += killOrphanGroup(step.pid, step.pidStart);
      if (store.claims.release(run.id, { pid: run.ownerPid, start: run.ownerStart })) report.released.push(run.id);
      continue;
    }
    orphaned.push({ run, jobs });
  }
  // Processes first, records after: a crash in between leaves the runs unfinished, so the
  // next recovery finds them again (the other order could leave processes nobody looks for).
  report.killedProcesses += killRunProcesses(store, orphaned.map((o) => o.run.id));
  for (const { run, jobs } of orphaned) {
    const notCanceled = cancelJobsNow(jobs);
    if (notCanceled) process.stderr.write(`millrace: run ${run.id}: ${notCanceled}\n`);
    const now = Date.now();
    const canceled = run.cancelRequested;
    const reason = canceled
      ? 'canceled after the millrace process that ran it had gone'
      : `the millrace process that ran it (pid ${run.ownerPid}) ended unexpectedly`;
    const patches: [string, Parameters<Store['runs']['update']>[1]][] = [];
    for (const step of store.runs.stepStates(run.id)) {
      if (!ACTIVE.has(step.status)) continue;
      // Every step ends terminal; one that never started says why.
      if (step.status === 'NotStarted') patches.push([step.id, { status: 'Canceled', ended_at: now, error: canceled ? 'canceled' : `not run: ${reason}`, pid: null }]);
      else patches.push([step.id, { status: canceled ? 'Canceled' : 'Failed', ended_at: now, error: reason, pid: null }]);
    }
    patches.push([run.id, { status: canceled ? 'Canceled' : 'Failed', ended_at: now, error: reason }]);
    store.runs.updateMany(patches);
    (canceled ? report.canceled : report.failed).push(run.id);
  }
  return report;
}

/**
 * What every millrace process opening a workspace does first: fail over the runs dead processes
 * left behind. On a full disk recovery cannot record anything; reading must still work, so that
 * is said (`deferred`) rather than thrown, and the next open with space records the runs.
 */
export function recoverWorkspace(ws: Workspace): { report: RecoveryReport; deferred?: string } {
  try {
    return { report: recoverOrphanedRuns(ws.store) };
  } catch (e) {
    if (!isStoreFull(e)) throw e;
    return { report: { failed: [], canceled: [], killedProcesses: 0, released: [] }, deferred: storeProblem(e as Error, ws.dir) };
  }
}
