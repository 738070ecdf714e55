// From a validated pipeline + parameter values to concrete steps: programs, arguments, inputs
// (files found, globs matched), outputs, and each step's code snapshot (AZUREML.md section 10.4d).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DatasetKind } from '../../shared/constants.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { UserError } from '../../shared/errors.js';
import { interpolate, refsIn, type Ref } from '../../shared/pipeline/expressions.js';
import { readInput } from '../../shared/pipeline/inputs.js';
import { pythonStr } from '../../shared/pipeline/python-str.js';
import type { ResourcesSpec } from '../../shared/pipeline/resources.js';
import type { DatasetFormat, InputMode, PipelineSpec, StepSpec } from '../../shared/pipeline/schema.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import type { ParamValue } from '../../shared/params.js';
import { ownValue } from '../../shared/safe-text.js';
import { sha256 } from '../reuse/content-hasher.js';
import { hasGlob, matchFiles } from '../datasets/glob.js';
import { tooBroad, tooBroadMessage } from '../reuse/folder-scope.js';
import { sourceDirFiles, type CodeFiles } from '../snapshots/code-snapshot.js';
import { realDatastore } from '../../shared/datastore-aliases.js';
import type { Workspace } from '../workspace/workspace.js';

export type PlannedInput =
  | { kind: 'step'; step: string; output: string; mode: InputMode; as?: DatasetKind; format?: DatasetFormat; pathOnCompute?: string }
  | {
      kind: 'path';
      /** The file or folder a single plain path names; null for a glob or several paths (the step gets a folder of links). */
      path: string | null;
      /** The first path, as written (real datastore name). */
      datastore: string;
      relPath: string;
      /** Every path: its datastore, its path on it, and its fixed prefix (absolute). */
      patterns: { datastore: string; relPath: string; fixed: string }[];
      /** Matched files (absolute, sorted) of a glob or several paths, and of tabular or direct inputs; else null. */
      files: string[] | null;
      /** A `path` parameter's value that does not exist (yet): allowed, the step gets its path (section 10.4f). */
      missing: boolean;
      tabular: boolean;
      as: DatasetKind;
      format?: DatasetFormat;
      mode: InputMode;
      pathOnCompute?: string;
      dataset?: { name: string; version: number };
      /** What a direct-mode input renders: the dataset version's id, or the definition's hash. */
      datasetId: string;
    };

export interface PlannedOutput {
  datastore: string;
  /** A folder on the datastore instead of azureml/<step run id>/<name>; {run-id} and {output-name} still in it. */
  path?: string;
  registerAs?: { name: string; description?: string; tags?: Record<string, string>; kind: DatasetKind; format?: DatasetFormat };
}

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
  /** Folder whose content is the step's code, or null (then only its script or named files are). */
  sourceDir: string | null;
  /** The code's snapshot (AZUREML.md section 10.4d): null when the step has no code beyond its command. */
  snapshot: string | null;
  /** Files of the code, relative to the working copy (for the snapshot manifest). */
  codeFiles: { rel: string; hash: string }[];
  /** A python step's script, relative to its working copy. */
  script: string | null;
  /**
   * Parameters the step references (arguments, command, env, script, input paths): exposed to
   * it as AML_PARAMETER_<name>. Their values are in its resolved arguments, so in its reuse key.
   */
  parameters: Record<string, ParamValue>;
  /** argv[0] (relative with a '/' = inside the working copy) and the rest, with parameters resolved and ${{inputs|outputs.X}} still symbolic. */
  program: string;
  args: string[];
  env: Record<string, string>;
  inputs: Record<string, PlannedInput>;
  outputs: Record<string, PlannedOutput>;
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

/** Where a step's code is taken from, before it is snapshotted (recordRun snapshots it). */
export interface StepCode {
  code: CodeFiles | null;
}

const str = (v: string | number | boolean): string => String(v);

/**
 * Resolve `${{parameters.X}}` now (as Python's str() with argument_style azureml); leave
 * `${{inputs.X}}` / `${{outputs.X}}` for run time. `used` collects the parameters a step references.
 */
function withParameters(text: string, spec: PipelineSpec, params: Record<string, ParamValue>, used?: Set<string>): string {
  const python = spec.argument_style === 'azureml';
  return interpolate(text, (r: Ref) => {
    if (r.kind === 'parameters') {
      const v = ownValue(params, r.name);
      if (v === undefined) return undefined;
      used?.add(r.name);
      return python ? pythonStr(v, ownValue(spec.parameters ?? {}, r.name)?.type) : str(v);
    }
    if (r.kind === 'inputs' || r.kind === 'outputs') return `\${{${r.kind}.${r.name}}}`;
    return undefined;
  });
}

/** The id a direct-mode input renders for a definition that is not a registered version (docs/bridge.md). */
export function definitionId(kind: DatasetKind, paths: { datastore: string; path: string }[], format?: DatasetFormat): string {
  return sha256(canonicalJson({ kind, paths: paths.map((p) => ({ datastore: p.datastore, path: p.path })), ...(format ? { format } : {}) }));
}

const isInsideDir = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** A command token that names a file beside the pipeline (a command step without source_directory copies it). */
function namedFile(token: string, dir: string): string | undefined {
  if (!token || token.startsWith('-') || token.includes('${{') || isAbsolute(token)) return undefined;
  const abs = resolve(dir, token);
  if (!isInsideDir(dir, abs)) return undefined;
  try {
    return statSync(abs).isFile() ? relative(dir, abs).split(sep).join('/') : undefined;
  } catch {
    return undefined;
  }
}

export function planRun(ws: Workspace, pipeline: ValidPipeline, parameters: Record<string, ParamValue>): RunPlan & { code: Map<string, CodeFiles | null> } {
  const { spec } = pipeline;
  const pipelineDir = dirname(resolve(pipeline.file));
  const steps: PlannedStep[] = [];
  const codes = new Map<string, CodeFiles | null>();
  const problems: string[] = [];
  pipeline.order.forEach((id) => {
    const s = spec.steps[id] as StepSpec;
    const used = new Set<string>();
    const P = (text: string) => withParameters(text, spec, parameters, used);
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
    let program: string;
    let args: string[];
    let script: string | null = null;
    let code: CodeFiles | null = sourceDir && existsSync(sourceDir) && !broadSource ? sourceDirFiles(sourceDir, ws.dir) : null;
    if (s.type === 'python') {
      const scriptPath = resolve(sourceDir ?? pipelineDir, P(s.script!));
      if (!existsSync(scriptPath)) problems.push(`step '${id}': script ${scriptPath} does not exist`);
      else if (sourceDir && !isInsideDir(sourceDir, scriptPath)) problems.push(`step '${id}': script ${scriptPath} is not in its source_directory ${sourceDir}`);
      if (sourceDir) script = relative(sourceDir, scriptPath).split(sep).join('/');
      else {
        // Without a source directory the step's code is its script alone, at the place it has beside the pipeline.
        const inside = isInsideDir(pipelineDir, scriptPath);
        script = inside ? relative(pipelineDir, scriptPath).split(sep).join('/') : basename(scriptPath);
        code = { root: inside ? pipelineDir : dirname(scriptPath), rels: existsSync(scriptPath) ? [script] : [] };
      }
      program = s.python ?? envConfig?.python ?? 'python3';
      args = (s.arguments ?? []).map((a) => P(str(a)));
    } else {
      const [head, ...rest] = s.command!.map((a) => P(str(a)));
      program = head;
      args = [...rest, ...(s.arguments ?? []).map((a) => P(str(a)))];
      if (!sourceDir) {
        const named = [head, ...args].map((t) => namedFile(t, pipelineDir)).filter((x): x is string => !!x);
        code = named.length ? { root: pipelineDir, rels: [...new Set(named)].sort() } : null;
      }
    }
    codes.set(id, code);
    const inputs: Record<string, PlannedInput> = {};
    for (const [name, inp] of Object.entries(s.inputs ?? {})) {
      const b = readInput(inp);
      if (typeof b === 'string') continue; // validation said so already
      const where = `step '${id}' input '${name}'`;
      if (b.source.from === 'step') {
        inputs[name] = { kind: 'step', step: b.source.step, output: b.source.output, mode: b.mode, as: b.kind, format: b.format, pathOnCompute: b.pathOnCompute };
        continue;
      }
      let paths: { datastore: string; path: string }[];
      let kind: DatasetKind = b.kind ?? 'file';
      let format = b.format;
      let dataset: { name: string; version: number } | undefined;
      let registeredId: string | undefined;
      let fromParameter = false;
      if (b.source.from === 'dataset') {
        const d = ws.store.datasets.get(b.source.dataset, b.source.version);
        paths = [{ datastore: d.datastore, path: d.path }];
        kind = b.kind ?? d.kind;
        dataset = { name: d.name, version: d.version };
        registeredId = (d as { id?: string }).id;
      } else {
        paths = b.source.paths.map((p) => {
          if (refsIn(p.path).refs.some((r) => r.kind === 'parameters' && ownValue(spec.parameters ?? {}, r.name)?.type === 'path')) fromParameter = true;
          return { datastore: p.datastore, path: P(p.path) };
        });
      }
      const patterns: { datastore: string; relPath: string; fixed: string }[] = [];
      const files: string[] = [];
      let missing = false;
      let single: string | null = null;
      for (const p of paths) {
        const real = realDatastore(p.datastore, Object.keys(ws.config.datastores));
        const root = real ? ownValue(ws.config.datastores, real) : undefined;
        if (!real || !root) {
          problems.push(`${where}: unknown datastore '${p.datastore}'`);
          continue;
        }
        if (isAbsolute(p.path) || p.path.split(/[\\/]/).includes('..')) {
          problems.push(`${where}: path '${p.path}' must stay inside datastore '${real}' (relative, no '..')`);
          continue;
        }
        const abs = resolve(root.path, p.path);
        const broad = tooBroad(abs, ws.dir);
        if (broad) problems.push(tooBroadMessage(`${where}:`, abs, broad));
        const glob = hasGlob(p.path);
        if (!glob && paths.length === 1) single = abs;
        if (!glob && !existsSync(abs)) {
          // A path parameter's value may name what does not exist yet; a fixed path must exist.
          if (fromParameter && paths.length === 1) missing = true;
          else problems.push(`${where}: ${abs} does not exist (datastore '${real}', path '${p.path}')`);
          patterns.push({ datastore: real, relPath: p.path, fixed: abs });
          continue;
        }
        const m = glob || paths.length > 1 || kind === 'tabular' || b.mode === 'direct' ? matchFiles(root.path, p.path) : { fixed: abs, files: [] };
        if ((glob || paths.length > 1) && !m.files.length) problems.push(`${where}: '${p.path}' on datastore '${real}' matches no file`);
        patterns.push({ datastore: real, relPath: p.path, fixed: m.fixed });
        files.push(...m.files);
      }
      const first = patterns[0] ?? { datastore: paths[0]?.datastore ?? 'default', relPath: paths[0]?.path ?? '' };
      inputs[name] = {
        kind: 'path',
        path: single,
        datastore: first.datastore,
        relPath: first.relPath,
        patterns,
        files: single && !files.length && kind !== 'tabular' && b.mode !== 'direct' ? null : [...new Set(files)].sort(),
        missing,
        tabular: kind === 'tabular',
        as: kind,
        format,
        mode: b.mode,
        pathOnCompute: b.pathOnCompute,
        dataset,
        datasetId: registeredId ?? definitionId(kind, patterns.map((q) => ({ datastore: q.datastore, path: q.relPath })), format),
      };
    }
    const outputs: Record<string, PlannedOutput> = {};
    for (const [name, out] of Object.entries(s.outputs ?? {})) {
      const real = realDatastore(out?.datastore ?? 'default', Object.keys(ws.config.datastores));
      if (!real) problems.push(`step '${id}' output '${name}': unknown datastore '${out?.datastore}'`);
      outputs[name] = {
        datastore: real ?? 'default',
        ...(out?.path ? { path: out.path } : {}),
        ...(out?.register_as ? { registerAs: { ...out.register_as } } : {}),
      };
    }
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
      python: s.python ?? envConfig?.python ?? 'python3',
      sourceDir,
      snapshot: null,
      codeFiles: [],
      script,
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
    code: codes,
  };
}

/** Where a planned output's folder is, for a step run (a fixed `path`, or azureml/<step run id>/<name>). */
export function outputFolder(datastoreRoot: string, o: PlannedOutput, name: string, stepRunId: string): string {
  if (!o.path) return join(datastoreRoot, 'azureml', stepRunId, name);
  return resolve(datastoreRoot, o.path.replaceAll('{run-id}', stepRunId).replaceAll('{output-name}', name));
}
