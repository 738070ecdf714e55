// Pipeline definition: schema + references + graph, every problem with file:line:col.
import { STEP_ID_PATTERN } from '../constants.js';
import { coerceParameter } from '../params.js';
import { ownValue } from '../safe-text.js';
import { refsIn, type Ref } from './expressions.js';
import { readInput } from './inputs.js';
import { topoOrder, type Graph } from './graph.js';
import { exceeds, resourceRequest, type Capacity } from './resources.js';
import { nothingBroken, salvageSpec, type Broken } from './salvage.js';
import { pipelineSchema, workspaceConfigSchema, type PipelineSpec, type WorkspaceConfigSpec } from './schema.js';
import { YamlSource } from './yaml-source.js';

/** What the workspace offers; when given, references to it are checked. */
export interface WorkspaceNames {
  datastores: string[];
  computes: string[];
  environments: string[];
  /** Registered dataset names; when undefined, dataset references are not checked. */
  datasets?: string[];
  /** What each local compute target offers; a step asking for more is an error. */
  capacity?: Record<string, Capacity>;
}

export interface ValidPipeline {
  file: string;
  name: string;
  spec: PipelineSpec;
  graph: Graph;
  order: string[];
}

/**
 * `x-*` keys at pipeline and step level are set aside before the schema (which is strict
 * everywhere else) and put back on the parsed spec as they were.
 */
function withoutExtensions(raw: unknown): { data: unknown; put: (spec: PipelineSpec) => PipelineSpec } {
  const isExt = (k: string) => k.startsWith('x-');
  const plain = (o: unknown) => !!o && typeof o === 'object' && !Array.isArray(o);
  // defineProperty, not `o[k] = v`: a key `__proto__` must stay a key, for the schema to name it.
  const set = (o: Record<string, unknown>, k: string, v: unknown) =>
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (!plain(raw)) return { data: raw, put: (s) => s };
  const top: [string, unknown][] = [];
  const steps = new Map<string, [string, unknown][]>();
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) (isExt(k) ? top.push([k, v]) : set(data, k, v));
  if (plain(data.steps)) {
    const copy: Record<string, unknown> = {};
    for (const [id, step] of Object.entries(data.steps as Record<string, unknown>)) {
      if (!plain(step)) {
        set(copy, id, step);
        continue;
      }
      const rest: Record<string, unknown> = {};
      const ext: [string, unknown][] = [];
      for (const [k, v] of Object.entries(step as Record<string, unknown>)) (isExt(k) ? ext.push([k, v]) : set(rest, k, v));
      set(copy, id, rest);
      if (ext.length) steps.set(id, ext);
    }
    data.steps = copy;
  }
  return {
    data,
    put: (spec) => {
      for (const [k, v] of top) (spec as Record<string, unknown>)[k] = v;
      for (const [id, ext] of steps) if (Object.hasOwn(spec.steps, id)) for (const [k, v] of ext) (spec.steps[id] as Record<string, unknown>)[k] = v;
      return spec;
    },
  };
}

export function validatePipeline(file: string, text: string, names?: WorkspaceNames): ValidPipeline {
  const src = new YamlSource(file, text);
  src.throwIfProblems('pipeline YAML');
  const { data, put } = withoutExtensions(src.data() ?? {});
  const parsed = pipelineSchema.safeParse(data);
  let spec: PipelineSpec;
  let broken = nothingBroken();
  if (parsed.success) spec = put(parsed.data as PipelineSpec);
  else {
    // Report the schema's problems and, on what does match it, the reference problems too.
    src.addZod(parsed.error);
    ({ spec, broken } = salvageSpec(data));
  }
  const graph = checkReferences(src, spec, broken, names);
  src.throwIfProblems('pipeline');

  const sorted = topoOrder(graph);
  if ('cycle' in sorted) {
    src.add(['steps', sorted.cycle[0]], `dependency cycle: ${sorted.cycle.join(' -> ')}`, true);
    src.throwIfProblems('pipeline');
    throw new Error('unreachable');
  }
  const fallbackName = file.replace(/\\/g, '/').split('/').pop()!.replace(/\.ya?ml$/i, '');
  return { file, name: spec.name ?? fallbackName, spec, graph, order: sorted.order };
}

/** Parameters, names of the workspace, expressions, inputs and run_after: every problem goes to `src`. */
function checkReferences(src: YamlSource, spec: PipelineSpec, broken: Broken, names?: WorkspaceNames): Graph {
  const graph: Graph = { deps: new Map() };
  const params = spec.parameters ?? {};
  const brokenField = (step: string, field: string) => (broken.fields.get(step)?.has(field) ?? false) || broken.misspelt.has(step);

  for (const [pname, p] of Object.entries(params)) {
    if (p.default !== undefined) {
      try {
        coerceParameter(pname, p, p.default);
      } catch (e) {
        src.add(['parameters', pname, 'default'], (e as Error).message);
      }
    }
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) src.add(['parameters', pname], `parameter '${pname}': min is greater than max`);
  }

  const checkName = (kind: Exclude<keyof WorkspaceNames, 'capacity'>, value: string | undefined, path: PropertyKey[]) => {
    const known = names?.[kind];
    if (value === undefined || !known || known.includes(value)) return;
    const singular = { datastores: 'datastore', computes: 'compute target', environments: 'environment', datasets: 'dataset' }[kind];
    src.add(path, `unknown ${singular} '${value}'${known.length ? ` (known: ${known.join(', ')})` : ''}`);
  };
  checkName('computes', spec.defaults?.compute, ['defaults', 'compute']);
  checkName('environments', spec.defaults?.environment, ['defaults', 'environment']);

  for (const [id, step] of Object.entries(spec.steps)) {
    const at = (...p: PropertyKey[]) => ['steps', id, ...p];
    const deps = new Set<string>();
    graph.deps.set(id, deps);
    if (!STEP_ID_PATTERN.test(id)) src.add(at(), `step id '${id}' must match [A-Za-z_][A-Za-z0-9_-]*`, true);
    if (step.type === 'python' && !step.script && !brokenField(id, 'script')) src.add(at(), `step '${id}': a python step needs 'script'`);
    if (step.type === 'python' && step.command) src.add(at('command'), `step '${id}': a python step takes 'script' and 'arguments', not 'command'`);
    if (step.type === 'command' && !step.command && !brokenField(id, 'command')) src.add(at(), `step '${id}': a command step needs 'command' (a list of arguments)`);
    if (step.type === 'command' && step.script) src.add(at('script'), `step '${id}': a command step takes 'command', not 'script'`);
    checkName('computes', step.compute, at('compute'));
    const target = step.compute ?? spec.defaults?.compute ?? 'local';
    const capacity = names?.capacity?.[target];
    if (capacity) for (const p of exceeds(resourceRequest(step.resources), capacity, target)) src.add(at('resources', p.key), `step '${id}' ${p.message}`);
    checkName('environments', step.environment, at('environment'));

    const inputs = step.inputs ?? {};
    const outputs = step.outputs ?? {};
    // A name declared in a broken part of the file exists as far as references go.
    const hasInput = (n: string) => Object.hasOwn(inputs, n) || brokenField(id, 'inputs') || !!broken.inputs.get(id)?.has(n);
    const hasOutput = (s: string, o: Record<string, unknown>, n: string) => Object.hasOwn(o, n) || brokenField(s, 'outputs') || !!broken.outputs.get(s)?.has(n);
    const checkRef = (r: Ref, path: PropertyKey[], allowSteps: boolean) => {
      if (r.kind === 'parameters' && !Object.hasOwn(params, r.name) && !broken.parameters.has(r.name)) src.add(path, `unknown parameter '${r.name}'`);
      if (r.kind === 'inputs' && !hasInput(r.name)) src.add(path, `step '${id}' has no input '${r.name}'`);
      if (r.kind === 'outputs' && !hasOutput(id, outputs, r.name)) src.add(path, `step '${id}' has no output '${r.name}'`);
      if (r.kind === 'steps' && !allowSteps) src.add(path, `\${{steps...}} may only bind an input; declare it under 'inputs'`);
    };
    const checkText = (text: unknown, path: PropertyKey[]) => {
      if (typeof text !== 'string') return;
      const { refs, error } = refsIn(text);
      if (error) src.add(path, error);
      for (const r of refs) checkRef(r, path, false);
    };
    (step.arguments ?? []).forEach((a, i) => checkText(a, at('arguments', i)));
    (step.command ?? []).forEach((a, i) => checkText(a, at('command', i)));
    for (const [k, v] of Object.entries(step.env ?? {})) checkText(v, at('env', k));
    if (step.script) checkText(step.script, at('script'));

    for (const [iname, inp] of Object.entries(inputs)) {
      const path = at('inputs', iname);
      const b = readInput(inp);
      if (typeof b === 'string') {
        src.add(typeof inp === 'string' ? path : [...path, 'output'], `input '${iname}': ${b}`);
        continue;
      }
      const from = b.source;
      if (from.from === 'step') {
        const up = ownValue(spec.steps, from.step);
        if (!up) {
          if (!broken.steps.has(from.step)) src.add(path, `input '${iname}' refers to unknown step '${from.step}'`);
        } else if (!hasOutput(from.step, up.outputs ?? {}, from.output)) src.add(path, `input '${iname}': step '${from.step}' has no output '${from.output}'`);
        else deps.add(from.step);
      } else if (from.from === 'dataset') {
        checkName('datasets', from.dataset, [...path, 'dataset']);
      } else {
        from.paths.forEach((p, i) => {
          const where = typeof inp !== 'string' && 'paths' in inp ? [...path, 'paths', i] : path;
          checkName('datastores', p.datastore, [...where, 'datastore']);
          const { refs, error } = refsIn(p.path);
          if (error) src.add([...where, 'path'], error);
          for (const r of refs) {
            if (r.kind !== 'parameters') src.add([...where, 'path'], 'a datastore path may only use ${{parameters.NAME}}');
            else checkRef(r, [...where, 'path'], false);
          }
        });
      }
      if (b.pathOnCompute !== undefined && (b.pathOnCompute.startsWith('/') || b.pathOnCompute.split(/[\\/]/).includes('..'))) {
        src.add([...path, 'path_on_compute'], `input '${iname}': path_on_compute is a path inside the step's working copy (relative, no '..')`);
      }
      if (b.mode === 'direct' && from.from === 'step' && b.kind === undefined) {
        src.add([...path, 'mode'], `input '${iname}': mode direct on a step output needs kind (file or tabular)`);
      }
    }
    for (const [oname, out] of Object.entries(outputs)) {
      checkName('datastores', out?.datastore, at('outputs', oname, 'datastore'));
      if (out?.path !== undefined && (out.path.startsWith('/') || out.path.split(/[\\/]/).includes('..'))) {
        src.add(at('outputs', oname, 'path'), `output '${oname}': path is a folder inside its datastore (relative, no '..')`);
      }
    }
    (step.run_after ?? []).forEach((dep, i) => {
      if (!Object.hasOwn(spec.steps, dep)) {
        if (!broken.steps.has(dep)) src.add(at('run_after', i), `run_after: unknown step '${dep}'`);
      } else if (dep === id) src.add(at('run_after', i), `step '${id}' cannot run after itself`);
      else deps.add(dep);
    });
  }
  return graph;
}

export function validateWorkspaceConfig(file: string, text: string): WorkspaceConfigSpec {
  const src = new YamlSource(file, text);
  src.throwIfProblems('YAML');
  const parsed = workspaceConfigSchema.safeParse(src.data() ?? {});
  if (!parsed.success) {
    src.addZod(parsed.error);
    src.throwIfProblems('workspace configuration');
  }
  return parsed.data as WorkspaceConfigSpec;
}
