// From a validated pipeline + parameter values to concrete steps (paths, programs, templates).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../shared/errors.js';
import { interpolate, wholeRef, type Ref } from '../../shared/pipeline/expressions.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import type { ParamValue } from '../../shared/params.js';
import { ownValue } from '../../shared/safe-text.js';
import { tooBroad, tooBroadMessage } from '../reuse/folder-scope.js';
import type { ResourcesSpec } from '../../shared/pipeline/resources.js';
import type { Workspace } from '../workspace/workspace.js';

export type PlannedInput =
  | { kind: 'step'; step: string; output: string }
  | { kind: 'path'; path: string; datastore: string; relPath: string; tabular: boolean; dataset?: { name: string; version: number } };

export interface PlannedStep {
  id: string;
  displayName: string;
  type: 'python' | 'command';
  seq: number;
  deps: string[];
  compute: string;
  /** The step's `resources` as written (null: the defaults, see docs/compute.md). */
  resources: ResourcesSpec | null;
  environment: string;
  python: string;
  cwd: string;
  /** Folder whose content is the step's code, or null (then `scriptPath` alone is). */
  sourceDir: string | null;
  scriptPath: string | null;
  /**
   * Parameters the step references (arguments, command, env, script, input paths): exposed to
   * it as AML_PARAMETER_<name>. Their values are in its resolved arguments, so in its reuse key.
   */
  parameters: Record<string, ParamValue>;
  /** argv[0] and the rest, with parameters resolved and ${{inputs|outputs.X}} still symbolic. */
  program: string;
  args: string[];
  env: Record<string, string>;
  inputs: Record<string, PlannedInput>;
  outputs: Record<string, { datastore: string }>;
  allowReuse: boolean;
  timeoutMs: number | null;
  retries: number;
}

export interface RunPlan {
  pipelineName: string;
  pipelineFile: string;
  continueOnStepFailure: boolean;
  parameters: Record<string, ParamValue>;
  steps: PlannedStep[];
}

const str = (v: string | number | boolean): string => String(v);

/**
 * Resolve `${{parameters.X}}` now; leave `${{inputs.X}}` / `${{outputs.X}}` for run time.
 * `used` collects the parameters a step references: only those reach its environment.
 */
function withParameters(text: string, params: Record<string, ParamValue>, used?: Set<string>): string {
  return interpolate(text, (r: Ref) => {
    if (r.kind === 'parameters') {
      const v = ownValue(params, r.name);
      if (v === undefined) return undefined;
      used?.add(r.name);
      return str(v);
    }
    if (r.kind === 'inputs' || r.kind === 'outputs') return `\${{${r.kind}.${r.name}}}`;
    return undefined;
  });
}

export function planRun(ws: Workspace, pipeline: ValidPipeline, parameters: Record<string, ParamValue>): RunPlan {
  const { spec } = pipeline;
  const pipelineDir = dirname(resolve(pipeline.file));
  const steps: PlannedStep[] = [];
  const problems: string[] = [];
  pipeline.order.forEach((id) => {
    const s = spec.steps[id];
    const used = new Set<string>();
    const P = (text: string) => withParameters(text, parameters, used);
    const compute = s.compute ?? spec.defaults?.compute ?? 'local';
    const environment = s.environment ?? spec.defaults?.environment ?? 'default';
    const envConfig = ownValue(ws.config.environments, environment);
    if (!ownValue(ws.config.compute, compute)) problems.push(`step '${id}': unknown compute target '${compute}'`);
    if (!envConfig) problems.push(`step '${id}': unknown environment '${environment}'`);
    const srcRel = s.source_directory ?? spec.defaults?.source_directory;
    const sourceDir = srcRel !== undefined ? resolve(pipelineDir, srcRel) : null;
    if (sourceDir && !existsSync(sourceDir)) problems.push(`step '${id}': source_directory ${sourceDir} does not exist`);
    const broadSource = sourceDir && tooBroad(sourceDir, ws.dir);
    if (broadSource) problems.push(tooBroadMessage(`step '${id}': source_directory`, sourceDir!, broadSource));
    const cwd = sourceDir ?? (envConfig?.workingDir ? resolve(ws.dir, envConfig.workingDir) : pipelineDir);
    let program: string;
    let args: string[];
    let scriptPath: string | null = null;
    if (s.type === 'python') {
      scriptPath = resolve(sourceDir ?? pipelineDir, P(s.script!));
      if (!existsSync(scriptPath)) problems.push(`step '${id}': script ${scriptPath} does not exist`);
      program = envConfig?.python ?? 'python3';
      args = [scriptPath, ...(s.arguments ?? []).map((a) => P(str(a)))];
    } else {
      const [head, ...rest] = s.command!.map((a) => P(str(a)));
      program = head.includes('/') && !isAbsolute(head) ? resolve(cwd, head) : head;
      args = [...rest, ...(s.arguments ?? []).map((a) => P(str(a)))];
    }
    const inputs: Record<string, PlannedInput> = {};
    for (const [name, inp] of Object.entries(s.inputs ?? {})) {
      if (typeof inp === 'string') {
        const r = wholeRef(inp);
        if (r && typeof r !== 'string' && r.kind === 'steps') inputs[name] = { kind: 'step', step: r.step, output: r.output };
        continue;
      }
      let datastore: string;
      let relPath: string;
      let tabular = false;
      let dataset: { name: string; version: number } | undefined;
      if ('dataset' in inp) {
        const d = ws.store.datasets.get(inp.dataset, inp.version);
        datastore = d.datastore;
        relPath = d.path;
        tabular = d.kind === 'tabular';
        dataset = { name: d.name, version: d.version };
      } else {
        datastore = inp.datastore;
        relPath = P(inp.path);
      }
      const root = ownValue(ws.config.datastores, datastore);
      if (!root) {
        problems.push(`step '${id}' input '${name}': unknown datastore '${datastore}'`);
        continue;
      }
      const path = resolve(root.path, relPath);
      if (!existsSync(path)) problems.push(`step '${id}' input '${name}': ${path} does not exist (datastore '${datastore}', path '${relPath}')`);
      const broadInput = tooBroad(path, ws.dir);
      if (broadInput) problems.push(tooBroadMessage(`step '${id}' input '${name}':`, path, broadInput));
      inputs[name] = { kind: 'path', path, datastore, relPath, tabular, dataset };
    }
    const outputs: Record<string, { datastore: string }> = {};
    for (const [name, out] of Object.entries(s.outputs ?? {})) outputs[name] = { datastore: out?.datastore ?? 'default' };
    const env: Record<string, string> = { ...(envConfig?.env ?? {}) };
    for (const [k, v] of Object.entries(s.env ?? {})) env[k] = P(str(v));
    steps.push({
      id,
      displayName: s.display_name ?? id,
      type: s.type,
      seq: steps.length,
      deps: [...(pipeline.graph.deps.get(id) ?? [])],
      compute,
      resources: s.resources ?? null,
      environment,
      python: envConfig?.python ?? 'python3',
      cwd,
      sourceDir,
      scriptPath,
      program,
      args,
      env,
      parameters: Object.fromEntries([...used].map((k) => [k, parameters[k]])),
      inputs,
      outputs,
      allowReuse: s.allow_reuse ?? true,
      timeoutMs: s.timeout ? Math.round(s.timeout * 1000) : null,
      retries: s.retries ?? 0,
    });
  });
  if (problems.length) throw new UserError(`${pipeline.file}: cannot run this pipeline`, 'invalid_submit', problems);
  return {
    pipelineName: pipeline.name,
    pipelineFile: resolve(pipeline.file),
    continueOnStepFailure: spec.continue_on_step_failure ?? false,
    parameters,
    steps,
  };
}

