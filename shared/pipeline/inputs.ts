// A step input in one of its spec forms (DESIGN.md section 3, AZUREML.md section 10.4b), read as
// one shape: where the data comes from, and how the step gets it.
import type { DatasetKind } from '../constants.js';
import { wholeRef } from './expressions.js';
import type { DatasetFormat, InputMode, InputSpec } from './schema.js';

export type InputSource =
  | { from: 'step'; step: string; output: string }
  | { from: 'dataset'; dataset: string; version?: number }
  | { from: 'datastore'; paths: { datastore: string; path: string }[] };

export interface InputBinding {
  source: InputSource;
  kind?: DatasetKind;
  format?: DatasetFormat;
  mode: InputMode;
  pathOnCompute?: string;
}

/** The binding an input spec says, or a message saying why it is not one. */
export function readInput(inp: InputSpec): InputBinding | string {
  if (typeof inp === 'string' || 'output' in inp) {
    const text = typeof inp === 'string' ? inp : inp.output;
    const r = wholeRef(text);
    if (typeof r === 'string') return r;
    if (!r || r.kind !== 'steps') return 'expected "${{steps.STEP.outputs.NAME}}", {output: ...}, {dataset: NAME}, {datastore: NAME, path: PATH} or {paths: [...]}';
    const source: InputSource = { from: 'step', step: r.step, output: r.output };
    return typeof inp === 'string' ? { source, mode: 'mount' } : { source, ...options(inp) };
  }
  if ('dataset' in inp) return { source: { from: 'dataset', dataset: inp.dataset, version: inp.version }, ...options(inp) };
  if ('paths' in inp) return { source: { from: 'datastore', paths: inp.paths }, ...options(inp) };
  return { source: { from: 'datastore', paths: [{ datastore: inp.datastore, path: inp.path }] }, ...options(inp) };
}

function options(o: { kind?: DatasetKind; format?: DatasetFormat; mode?: InputMode; path_on_compute?: string }) {
  return { kind: o.kind, format: o.format, mode: o.mode ?? 'mount', pathOnCompute: o.path_on_compute };
}

/** `*`, `?` or `[` in a path segment make it a glob (the segments before the first are its fixed prefix). */
export const isGlob = (path: string): boolean => /[*?[]/.test(path);
