// Submitting a pipeline run: validate everything first, then create the run in one transaction.
import { UserError } from '../../shared/errors.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import { loadPipeline } from '../pipelines/load.js';
import { resolveParameters } from '../../shared/params.js';
import { checkText, TEXT_LIMITS } from '../../shared/safe-text.js';
import type { Trigger } from '../../shared/types.js';
import { preflightSlurm } from '../compute/slurm/preflight.js';
import { newRunId } from '../store/ids.js';
import type { Workspace } from '../workspace/workspace.js';
import { ContentHasher } from '../reuse/content-hasher.js';
import { takeSnapshot, type CodeFiles } from '../snapshots/code-snapshot.js';
import { planRun, type RunPlan } from './plan.js';
import { selfIdentity } from './process-identity.js';
import type { ApiEvent } from '../../shared/api/events.js';
import { PipelineRunner } from './runner.js';

export interface SubmitOptions {
  parameters?: Record<string, unknown>;
  experiment?: string;
  trigger: Trigger;
  regenerateOutputs?: boolean;
  description?: string | null;
  tags?: Record<string, string | null>;
  onEvent?: (e: ApiEvent) => void;
  onProblem?: (message: string) => void;
  /** `file` already loaded and validated (e.g. an immutable published snapshot the caller caches). */
  pipeline?: ValidPipeline;
  /** Record it without an owner: a serve or a `millrace runner` claims and drives it (run-claim.ts). */
  unclaimed?: boolean;
}

/** Snapshots each step's code (snapshots/<hash>/) and sets the plan's `snapshot` and `codeFiles`. */
export function snapshotCode(ws: Workspace, plan: RunPlan, code: ReadonlyMap<string, CodeFiles | null>, warn?: (message: string) => void): void {
  const hasher = new ContentHasher(ws.store.fileHashes);
  for (const step of plan.steps) {
    const files = code.get(step.id);
    if (!files) continue;
    const snap = takeSnapshot(ws.dir, hasher, files, warn ?? ((m) => process.stderr.write(`millrace: ${m}\n`)));
    step.snapshot = snap.hash;
    step.codeFiles = snap.files;
  }
}

/** Validates, plans and records a run owned by this process (when this returns, the run exists). */
export function recordRun(ws: Workspace, file: string, o: Omit<SubmitOptions, 'onEvent'>): { runId: string; plan: RunPlan; experiment: string } {
  const pipeline = o.pipeline ?? loadPipeline(ws, file);
  const parameters = resolveParameters(pipeline.spec.parameters, o.parameters ?? {});
  const { code, ...plan } = planRun(ws, pipeline, parameters);
  // A Slurm target that cannot take jobs is named now, before anything is recorded or submitted.
  preflightSlurm(ws.config.compute, plan.steps.map((s) => s.compute));
  const runId = newRunId();
  const experiment = o.experiment ?? pipeline.name;
  if (!experiment.trim()) throw new UserError('the experiment name may not be empty', 'bad_usage');
  // The CLI's -e and every other caller meet here; the API's schemas said the same with a 400 already.
  checkText('the experiment name', experiment, TEXT_LIMITS.name, 'bad_usage');
  if (o.description) checkText('the description', o.description, TEXT_LIMITS.description, 'bad_usage');
  // The code as submitted (AZUREML.md section 10.4d): edits after this do not change this run.
  snapshotCode(ws, plan, code, o.onProblem);
  ws.store.runs.createPipelineRun({
    id: runId,
    experiment,
    pipelineName: plan.pipelineName,
    pipelineFile: plan.pipelineFile,
    parameters,
    definition: { spec: pipeline.spec, regenerateOutputs: !!o.regenerateOutputs },
    trigger: o.trigger,
    description: o.description,
    tags: o.tags,
    owner: o.unclaimed ? null : selfIdentity(),
    steps: plan.steps.map((s) => ({ id: newRunId(), name: s.id, displayName: s.displayName, seq: s.seq, definition: s })),
  });
  return { runId, plan, experiment };
}

/** recordRun, plus the runner that drives it here; nothing runs until `runner.run()`. */
export function submitRun(ws: Workspace, file: string, o: SubmitOptions): { runId: string; plan: RunPlan; runner: PipelineRunner; experiment: string } {
  const { runId, plan, experiment } = recordRun(ws, file, o);
  const runner = new PipelineRunner(ws, runId, plan, { experiment, regenerateOutputs: o.regenerateOutputs, onEvent: o.onEvent, onProblem: o.onProblem });
  return { runId, plan, runner, experiment };
}
