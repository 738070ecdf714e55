// The environment of a step's process (DESIGN.md section 5): the engine's own environment minus
// other runs' MILLRACE_* values, the environment's and the step's env, and the run context
// variables, also under the names Azure ML uses.
import { delimiter } from 'node:path';
import { pythonRuntimeDir } from '../package-root.js';
import { millraceCli } from '../node-binary.js';
import type { PlannedStep } from './plan.js';
import type { InputEntry } from './step-io.js';

export interface StepContext {
  plan: PlannedStep;
  stepRunId: string;
  runId: string;
  experiment: string;
  workspaceDir: string;
  /** The step run's folder (logs, metrics file). */
  runDir: string;
  metricsFile: string;
  inputs: Record<string, InputEntry>;
  outputs: Record<string, string>;
}

/** The engine's environment without the MILLRACE_* variables of whatever started it (a step running millrace). */
export function baseEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const base = { ...env };
  for (const k of Object.keys(base)) if (k.startsWith('MILLRACE_') && k !== 'MILLRACE_WORKSPACE') delete base[k];
  return base;
}

/** `resolve` turns ${{inputs.X}} / ${{outputs.X}} in env values into paths. */
export function stepEnvironment(base: NodeJS.ProcessEnv, c: StepContext, resolve: (text: string) => string): NodeJS.ProcessEnv {
  const p = c.plan;
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [k, v] of Object.entries(p.env)) env[k] = resolve(v);
  env.PYTHONPATH = env.PYTHONPATH ? `${pythonRuntimeDir()}${delimiter}${env.PYTHONPATH}` : pythonRuntimeDir();
  Object.assign(env, {
    MILLRACE_RUN_ID: c.stepRunId,
    MILLRACE_PARENT_RUN_ID: c.runId,
    MILLRACE_EXPERIMENT: c.experiment,
    MILLRACE_WORKSPACE: c.workspaceDir,
    MILLRACE_METRICS_FILE: c.metricsFile,
    MILLRACE_RUN_DIR: c.runDir,
    MILLRACE_STEP: p.id,
    AZUREML_RUN_ID: c.stepRunId,
    MILLRACE_INPUTS: JSON.stringify(Object.fromEntries(Object.entries(c.inputs).map(([k, { value: _v, ...entry }]) => [k, entry]))),
    // The CLI that started the step: the step's azureml package reaches the same Millrace.
    MILLRACE_CLI: JSON.stringify(millraceCli()),
    MILLRACE_OUTPUTS: JSON.stringify(c.outputs),
  });
  for (const [k, v] of Object.entries(c.inputs)) {
    env[`MILLRACE_INPUT_${k.toUpperCase()}`] = v.value;
    env[`AZUREML_DATAREFERENCE_${k}`] = v.value;
  }
  for (const [k, v] of Object.entries(c.outputs)) {
    env[`MILLRACE_OUTPUT_${k.toUpperCase()}`] = v;
    env[`AZUREML_DATAREFERENCE_${k}`] = v;
  }
  for (const [k, v] of Object.entries(p.parameters)) env[`AML_PARAMETER_${k}`] = String(v);
  return env;
}
