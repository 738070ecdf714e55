// What of a compiled SDK spec the shared pipeline schema checks, and what it never sees. Keys
// starting `x-` (AZUREML.md section 10.4b) are carried verbatim and never affect validation,
// execution or reuse: they are set aside before validation and put back on what is recorded.
//
// Interim, until shared/pipeline/schema.ts has the section 10.4b additions (the lead's work): keys
// it does not know yet are set aside too when doing so changes nothing (an input's `mode: mount`,
// the default) or only how parameters render (`argument_style`, with one warning). Each check asks
// the schema itself, so this becomes a no-op the moment the schema knows the key.
import { parse, stringify } from 'yaml';
import { UserError } from '../../shared/errors.js';
import { inputSchema, pipelineSchema } from '../../shared/pipeline/schema.js';
import { validatePipeline, type ValidPipeline, type WorkspaceNames } from '../../shared/pipeline/validate.js';

const isExtension = (k: string) => k.startsWith('x-');
const schemaHas = (key: string) => Object.hasOwn(pipelineSchema.shape, key);
/** True when the schema accepts an input object carrying `mode`. */
const inputModeKnown = () => inputSchema.safeParse({ datastore: 'd', path: 'p', mode: 'mount' }).success;

export type Extensions = { pipeline: Record<string, unknown>; steps: Record<string, Record<string, unknown>> };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The spec the schema checks, the `x-*` keys taken out of it, and warnings about what was set aside. */
export function setAside(spec: Record<string, unknown>): { checked: Record<string, unknown>; extensions: Extensions; warnings: string[] } {
  const extensions: Extensions = { pipeline: {}, steps: {} };
  const warnings: string[] = [];
  const checked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (isExtension(k)) extensions.pipeline[k] = v;
    else if (k === 'argument_style' && !schemaHas(k)) {
      if (v === 'azureml') warnings.push("argument_style 'azureml' is not supported by this Millrace yet: parameter values render as Millrace renders them (true, 1)");
    } else checked[k] = v;
  }
  if (isObject(spec.steps)) {
    const steps: Record<string, unknown> = {};
    for (const [id, step] of Object.entries(spec.steps)) {
      if (!isObject(step)) {
        steps[id] = step;
        continue;
      }
      const kept: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(step)) {
        if (isExtension(k)) (extensions.steps[id] ??= {})[k] = v;
        else kept[k] = k === 'inputs' && isObject(v) ? withoutDefaultModes(v) : v;
      }
      steps[id] = kept;
    }
    checked.steps = steps;
  }
  return { checked, extensions, warnings };
}

/** `mode: mount` is what an input is without a mode: dropped while the schema lacks `mode`. */
function withoutDefaultModes(inputs: Record<string, unknown>): Record<string, unknown> {
  if (inputModeKnown()) return inputs;
  return Object.fromEntries(
    Object.entries(inputs).map(([name, inp]) => {
      if (!isObject(inp) || inp.mode !== 'mount') return [name, inp];
      const { mode: _mount, ...rest } = inp;
      return [name, rest];
    }),
  );
}

/** Puts the `x-*` keys back on a (validated) spec: the run's recorded definition carries them. */
export function putBack<T extends object>(spec: T, extensions: Extensions): T {
  const out = { ...spec, ...extensions.pipeline } as Record<string, unknown>;
  const steps = out.steps as Record<string, Record<string, unknown>>;
  out.steps = Object.assign(Object.create(null), Object.fromEntries(Object.entries(steps).map(([id, s]) => [id, { ...s, ...extensions.steps[id] }])));
  return out as T;
}

/**
 * A pipeline file validated as the shared schema does, or, when only keys set aside above made it
 * fail (an SDK file: `x-azureml`, `argument_style`), validated without them and returned with its
 * `x-*` keys back. A file without such keys is validated exactly as before (its positions kept).
 */
export function validateKeepingExtensions(file: string, text: string, names: WorkspaceNames | undefined, warn?: (line: string) => void): ValidPipeline {
  try {
    return validatePipeline(file, text, names);
  } catch (e) {
    if (!(e instanceof UserError) || !e.details.some((d) => /unknown key '(x-[^']*|argument_style)'/.test(d))) throw e;
    let data: unknown;
    try {
      data = parse(text);
    } catch {
      throw e;
    }
    if (!isObject(data)) throw e;
    const { checked, extensions, warnings } = setAside(data);
    const valid = validatePipeline(file, stringify(checked, { lineWidth: 0 }), names);
    for (const w of warnings) warn?.(w);
    return { ...valid, spec: putBack(valid.spec, extensions) };
  }
}
