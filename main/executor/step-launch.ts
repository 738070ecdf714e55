// Starting one attempt of a step on its compute target: the argv and environment are resolved
// here, the same for both backends; a local target starts a process group (step-process.ts),
// a Slurm target submits (or re-attaches to) one job (compute/slurm/slurm-attempt.ts).
import { isAbsolute, join } from 'node:path';
import { interpolate } from '../../shared/pipeline/expressions.js';
import type { Attempt } from '../compute/attempt.js';
import type { JobState } from '../compute/slurm/job-states.js';
import { startSlurmAttempt } from '../compute/slurm/slurm-attempt.js';
import type { ComputeTarget } from '../compute/targets.js';
import type { PlannedStep } from './plan.js';
import type { RunLayout } from './run-layout.js';
import { stepEnvironment } from './step-env.js';
import type { InputEntry } from './step-io.js';
import { startStepProcess } from './step-process.js';

export interface LaunchContext {
  plan: PlannedStep;
  target: ComputeTarget;
  stepRunId: string;
  runId: string;
  experiment: string;
  workspaceDir: string;
  layout: RunLayout;
  baseEnv: NodeJS.ProcessEnv;
  inputs: Record<string, InputEntry>;
  outputs: Record<string, string>;
  attempt: number;
  /** GPU ids the step's lease holds (local targets with `gpus`). */
  gpus: string[];
  killGraceMs: number;
  /** Slurm: each change of the job's state or node. */
  onJobState(j: JobState): void;
}

const failedToStart = (message: string): Attempt => ({
  started: Promise.resolve(undefined),
  done: Promise.resolve({ exitCode: null, signal: null, timedOut: false, spawnError: message }),
  terminate: () => {},
});

/** Starts the attempt; `jobId` re-attaches to a Slurm job already submitted (nothing new starts). */
export function startAttempt(c: LaunchContext, jobId?: string): Attempt {
  const p = c.plan;
  if (jobId && c.target.type !== 'slurm') {
    return failedToStart(`cannot follow Slurm job ${jobId}: compute target '${p.compute}' is no longer a Slurm target in millrace.yml`);
  }
  const resolve = (text: string) =>
    interpolate(text, (r) => (r.kind === 'inputs' ? c.inputs[r.name]?.value : r.kind === 'outputs' ? c.outputs[r.name] : undefined));
  // The step runs in its working copy: its script, and a program named relative with a '/', are there.
  const cwd = c.layout.workingCopy(p.id);
  const program = p.program.includes('/') && !isAbsolute(p.program) ? join(cwd, p.program) : p.program;
  let args: string[];
  let env: NodeJS.ProcessEnv;
  try {
    args = [...(p.script ? [join(cwd, p.script)] : []), ...p.args.map(resolve)];
    env = stepEnvironment(c.baseEnv, {
      plan: p, stepRunId: c.stepRunId, runId: c.runId, experiment: c.experiment, workspaceDir: c.workspaceDir,
      runDir: c.layout.stepDir(p.id), metricsFile: c.layout.metricsFile(p.id), inputs: c.inputs, outputs: c.outputs,
    }, resolve);
  } catch (e) {
    return failedToStart((e as Error).message);
  }
  const logFile = c.layout.logFile(p.id);
  const stamp = `[millrace] ${new Date().toISOString()} attempt ${c.attempt}: ${JSON.stringify([program, ...args])} (cwd ${cwd})`;
  if (c.target.type === 'slurm') {
    return startSlurmAttempt({
      target: c.target, jobName: `millrace-${p.id}-${c.stepRunId}`, logFile, cwd, script: join(c.layout.stepDir(p.id), 'slurm-job.sh'),
      argv: [program, ...args], resources: p.resources, env, header: `${stamp} on Slurm\n`, timeoutMs: p.timeoutMs, onState: c.onJobState, jobId,
    });
  }
  // A target that hands out GPUs hides the others from each step (none from a step that asked for none).
  if (c.target.gpus.length) env.CUDA_VISIBLE_DEVICES = c.gpus.join(',');
  return startStepProcess({
    program, args, cwd, env, logFile, header: `${stamp}\n`, timeoutMs: p.timeoutMs, killGraceMs: c.killGraceMs,
  });
}
