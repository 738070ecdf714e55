// What of a pipeline file that fails the schema can still be checked: every entry (parameter, step
// field, input, output) that matches its own part of the schema is kept, the rest is remembered as
// "declared but broken". The reference checks then run on what was kept, so one run of validation
// reports schema and reference problems together (docs/pipelines.md), and a name whose declaration
// is the broken part is not reported a second time as unknown.
import type { z } from 'zod';
import { nameRecord } from '../safe-text.js';
import { inputSchema, outputSchema, parameterSchema, pipelineSchema, stepSchema, type PipelineSpec } from './schema.js';

export interface Broken {
  parameters: Set<string>;
  steps: Set<string>;
  /** step -> its fields that failed their schema (e.g. 'script', 'outputs'). */
  fields: Map<string, Set<string>>;
  /** step -> input / output names whose binding failed its schema. */
  inputs: Map<string, Set<string>>;
  outputs: Map<string, Set<string>>;
  /** Steps with an unknown key: probably a misspelt one, so a "needs 'script'" would say the same twice. */
  misspelt: Set<string>;
}

export const nothingBroken = (): Broken => ({ parameters: new Set(), steps: new Set(), fields: new Map(), inputs: new Map(), outputs: new Map(), misspelt: new Set() });

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const ok = (schema: z.ZodType, v: unknown): boolean => schema.safeParse(v).success;
const add = (m: Map<string, Set<string>>, k: string, v: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(v);

/** A map of entries, each kept when its name and value pass (as one entry of a nameRecord), else recorded in `broken`. */
function entries(value: unknown, schema: z.ZodType, broken: (name: string) => void): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  if (!isObject(value)) return out;
  const one = nameRecord(schema);
  for (const [k, v] of Object.entries(value)) {
    const r = one.safeParse({ [k]: v });
    if (r.success) out[k] = r.data[k];
    else broken(k);
  }
  return out;
}

function salvageStep(id: string, raw: unknown, b: Broken): Record<string, unknown> | undefined {
  const whole = stepSchema.safeParse(raw);
  if (whole.success) return whole.data;
  if (!isObject(raw)) return undefined;
  const shape = stepSchema.shape;
  if (Object.keys(raw).some((k) => !Object.hasOwn(shape, k))) b.misspelt.add(id);
  const step: Record<string, unknown> = Object.create(null);
  for (const [field, schema] of Object.entries(shape) as [string, z.ZodType][]) {
    if (!Object.hasOwn(raw, field)) continue;
    if (field === 'inputs' || field === 'outputs') {
      if (!isObject(raw[field])) {
        add(b.fields, id, field);
        continue;
      }
      step[field] = entries(raw[field], field === 'inputs' ? inputSchema : outputSchema, (name) => add(field === 'inputs' ? b.inputs : b.outputs, id, name));
    } else if (ok(schema, raw[field])) step[field] = schema.parse(raw[field]);
    else add(b.fields, id, field);
  }
  return step;
}

export function salvageSpec(data: unknown): { spec: PipelineSpec; broken: Broken } {
  const b = nothingBroken();
  const raw = isObject(data) ? data : {};
  const shape = pipelineSchema.shape;
  const spec: Record<string, unknown> = {};
  for (const field of ['name', 'description', 'defaults', 'continue_on_step_failure'] as const) {
    if (Object.hasOwn(raw, field) && ok(shape[field], raw[field])) spec[field] = (shape[field] as z.ZodType).parse(raw[field]);
  }
  spec.parameters = entries(raw.parameters, parameterSchema, (n) => b.parameters.add(n));
  const steps: Record<string, unknown> = Object.create(null);
  if (isObject(raw.steps)) {
    for (const [id, s] of Object.entries(raw.steps)) {
      const step = salvageStep(id, s, b);
      if (step) steps[id] = step;
      else b.steps.add(id);
    }
  }
  spec.steps = steps;
  return { spec: spec as PipelineSpec, broken: b };
}
