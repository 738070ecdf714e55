// Resuming a run from the store (AZUREML.md section 10.4a, docs/compute.md): the plan is rebuilt
// from the rows (runs.definition holds each PlannedStep), and each step goes on from where its
// row says it is. Completed steps stay (their outputs and hashes are in the rows); Slurm attempts
// in flight are re-attached by job id; a local step that was running lost its process with its
// owner and fails (`ownerLost`); a step that had started nothing yet starts over (`reset`).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal } from '../../shared/constants.js';
import { slurmSync } from '../compute/slurm/commands.js';
import type { RunPatch } from '../store/run-store.js';
import type { RunState } from '../store/run-rows.js';
import type { Workspace } from '../workspace/workspace.js';
import type { PlannedStep, RunPlan } from './plan.js';
import { killOrphanGroup } from './process-identity.js';
import { stepRunDir } from './run-layout.js';
import { PipelineRunner, type RestoredStep, type RunnerOptions } from './runner.js';
import { nextStatus } from './step-states.js';

export interface StoredRun {
  plan: RunPlan;
  experiment: string;
  regenerateOutputs: boolean;
}

/** The plan a run was recorded with. */
export function storedRun(ws: Workspace, runId: string): StoredRun {
  const run = ws.store.runs.state(runId);
  if (!run || run.kind !== 'pipeline') throw new Error(`no pipeline run '${runId}'`);
  const def = (run.definition ?? {}) as { spec?: { continue_on_step_failure?: boolean }; regenerateOutputs?: boolean };
  const steps = ws.store.runs.stepStates(runId).map((r) => {
    const p = (r.definition ?? {}) as PlannedStep;
    return { ...p, resources: p.resources ?? null };
  });
  return {
    plan: {
      pipelineName: run.name,
      pipelineFile: run.pipelineFile ?? '',
      continueOnStepFailure: def.spec?.continue_on_step_failure ?? false,
      parameters: run.parameters ?? {},
      steps,
    },
    experiment: run.experiment,
    regenerateOutputs: !!def.regenerateOutputs,
  };
}

/** The job a submit in flight may have created before its owner died: Slurm knows it by its name. */
function jobByName(name: string): string | null {
  try {
    return slurmSync('squeue', ['-h', '-t', 'all', '-n', name, '-O', 'JobID:|'], 15_000).split('\n')[0]?.split('|')[0].trim() || null;
  } catch {
    return null;
  }
}

/**
 * Brings the rows of a claimed run to a state a runner can resume (one transaction), and returns
 * each step's state. Call it only as the run's new owner.
 */
export function prepareResume(ws: Workspace, runId: string, stored: StoredRun): Map<string, RestoredStep> {
  const rows = ws.store.runs.stepStates(runId);
  const owner = ws.store.runs.state(runId);
  const byName = new Map(stored.plan.steps.map((p) => [p.id, p]));
  const patches: [string, RunPatch][] = [];
  const restore = new Map<string, RestoredStep>();
  const now = Date.now();
  for (const r of rows) {
    const plan = byName.get(r.name);
    const slurm = plan && ws.config.compute[plan.compute]?.type === 'slurm';
    let status = r.status;
    let jobId = r.jobId;
    if (!isTerminal(status) && status !== 'NotStarted') {
      if (slurm && !jobId && status === 'Queued' && plan) jobId = jobByName(`millrace-${plan.id}-${r.id}`);
      if (jobId && slurm && r.attempt > 0) {
        if (jobId !== r.jobId) patches.push([r.id, { job_id: jobId }]);
      } else if (status === 'Preparing' || (status === 'Queued' && !r.pid)) {
        status = nextStatus(status, 'reset');
        forget(ws, r, plan);
        patches.push([r.id, { status, attempt: 0, started_at: null, outputs: null, reuse_key: null, pid: null, pid_start: null, job_id: null, job_state: null, job_node: null }]);
        r.attempt = 0;
        r.outputs = null;
        jobId = null;
      } else {
        if (r.pid) killOrphanGroup(r.pid, r.pidStart);
        status = nextStatus(status, 'ownerLost');
        // (The run's owner is already the claimer: the process that ran the step is not named.)
        const error = 'the millrace process that ran it ended before the step did';
        patches.push([r.id, { status, ended_at: now, error, pid: null }]);
        r.error = error;
      }
    }
    restore.set(r.name, {
      status,
      attempt: r.attempt,
      outputs: r.outputs ?? {},
      outputHashes: r.outputHashes ?? {},
      error: r.error,
      jobId: isTerminal(status) ? null : jobId,
    });
  }
  // A run recorded unclaimed starts now (the runner keeps the start of one already under way).
  if (owner && owner.startedAt == null) patches.push([runId, { started_at: now }]);
  if (patches.length) ws.store.runs.updateMany(patches);
  return restore;
}

/** A step that starts over leaves nothing of its first start behind (folders are made afresh). */
function forget(ws: Workspace, r: RunState, plan: PlannedStep | undefined): void {
  if (!r.parentId || !plan) return;
  const dir = stepRunDir(ws, r.parentId, plan.id);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  for (const out of Object.values(plan.outputs)) {
    const folder = join(ws.datastorePath(out.datastore), 'azureml', r.id);
    if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
  }
}

/** A runner that goes on with a run this process has just claimed. */
export function resumeRunner(ws: Workspace, runId: string, opts: Omit<RunnerOptions, 'experiment' | 'restore' | 'regenerateOutputs'> = {}): PipelineRunner {
  // A run recorded by another process may name targets it added to millrace.yml since we read it.
  ws.reloadConfigIfChanged();
  const stored = storedRun(ws, runId);
  const restore = prepareResume(ws, runId, stored);
  return new PipelineRunner(ws, runId, stored.plan, { ...opts, experiment: stored.experiment, regenerateOutputs: stored.regenerateOutputs, restore });
}
