// Pipeline definition: schema + references + graph, every problem with file:line:col.
import { STEP_ID_PATTERN } from '../constants.js';
import { coerceParameter } from '../params.js';
import { ownValue } from '../safe-text.js';
import { refsIn, wholeRef, type Ref } from './expressions.js';
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

export function validatePipeline(file: string, text: string, names?: WorkspaceNames): ValidPipeline {
  const src = new YamlSource(file, text);
  src.throwIfProblems('pipeline YAML');
  const data = src.data() ?? {};
  const parsed = pipelineSchema.safeParse(data);
  let spec: PipelineSpec;
  let broken = nothingBroken();
  if (parsed.success) spec = parsed.data as PipelineSpec;
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
      if (typeof inp === 'string') {
        const r = wholeRef(inp);
        if (r === undefined || (typeof r !== 'string' && r.kind !== 'steps')) {
          src.add(path, `input '${iname}': expected "\${{steps.STEP.outputs.NAME}}", {dataset: NAME} or {datastore: NAME, path: PATH}`);
        } else if (typeof r === 'string') {
          src.add(path, r);
        } else if (r.kind === 'steps') {
          const up = ownValue(spec.steps, r.step);
          if (!up) {
            if (!broken.steps.has(r.step)) src.add(path, `input '${iname}' refers to unknown step '${r.step}'`);
          } else if (!hasOutput(r.step, up.outputs ?? {}, r.output)) src.add(path, `input '${iname}': step '${r.step}' has no output '${r.output}'`);
          else deps.add(r.step);
        }
      } else if ('dataset' in inp) {
        checkName('datasets', inp.dataset, [...path, 'dataset']);
      } else {
        checkName('datastores', inp.datastore, [...path, 'datastore']);
        const { refs, error } = refsIn(inp.path);
        if (error) src.add([...path, 'path'], error);
        for (const r of refs) {
          if (r.kind !== 'parameters') src.add([...path, 'path'], 'a datastore path may only use ${{parameters.NAME}}');
          else checkRef(r, [...path, 'path'], false);
        }
      }
    }
    for (const [oname, out] of Object.entries(outputs)) {
      checkName('datastores', out?.datastore, at('outputs', oname, 'datastore'));
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
