// Parameter values: one coercion for the CLI (strings), REST (JSON scalars, Azure sends strings) and the UI.
import type { ParameterSpec } from './pipeline/schema.js';
import { UserError } from './errors.js';
import { shown, textProblem, TEXT_LIMITS } from './safe-text.js';

export type ParamValue = string | number | boolean;

/** A given value as messages show it: JSON, cut when long. */
const quoted = (raw: unknown): string => shown(JSON.stringify(raw) ?? String(raw));

/** Coerce and check one value; throws a UserError naming the parameter. */
export function coerceParameter(name: string, spec: ParameterSpec, raw: unknown): ParamValue {
  const bad = (why: string): never => {
    throw new UserError(`parameter '${name}': ${why}`, 'invalid_parameter');
  };
  let v: ParamValue;
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) bad(`expected a ${spec.type}, got ${quoted(raw)}`);
      if (spec.type === 'integer' && !Number.isInteger(n)) bad(`expected an integer, got ${quoted(raw)}`);
      v = n;
      break;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') v = raw;
      else if (typeof raw === 'string' && /^(true|false|1|0)$/i.test(raw.trim())) v = /^(true|1)$/i.test(raw.trim());
      else if (raw === 1 || raw === 0) v = raw === 1;
      else return bad(`expected a boolean (true or false), got ${quoted(raw)}`);
      break;
    }
    case 'string':
    case 'path': {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') bad(`expected a ${spec.type}, got ${quoted(raw)}`);
      v = String(raw);
      const why = textProblem(v, TEXT_LIMITS.argument);
      if (why) bad(why);
      if (spec.type === 'path') {
        const p = v.replace(/\\/g, '/');
        if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) bad(`expected a path relative to a datastore, got absolute '${shown(v)}'`);
        if (p.split('/').includes('..')) bad(`a datastore path may not contain '..' ('${shown(v)}')`);
      }
      break;
    }
  }
  if (spec.enum && !spec.enum.some((e) => e === v || String(e) === String(v))) {
    bad(`expected one of ${spec.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${quoted(raw)}`);
  }
  if (typeof v === 'number') {
    if (spec.min !== undefined && v < spec.min) bad(`must be >= ${spec.min}, got ${v}`);
    if (spec.max !== undefined && v > spec.max) bad(`must be <= ${spec.max}, got ${v}`);
  }
  return v;
}

/**
 * Resolve a submit's parameter values against the pipeline's declarations:
 * unknown names and bad values are rejected before anything runs.
 */
export function resolveParameters(
  specs: Record<string, ParameterSpec> | undefined,
  given: Record<string, unknown>,
): Record<string, ParamValue> {
  const declared = specs ?? {};
  // Own names only, and no prototype to set: '__proto__' or 'toString' are names like any other.
  const out: Record<string, ParamValue> = Object.create(null);
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(declared, key)) {
      const known = Object.keys(declared);
      throw new UserError(
        `unknown parameter '${shown(key)}'${known.length ? ` (this pipeline has: ${known.join(', ')})` : ' (this pipeline has no parameters)'}`,
        'unknown_parameter',
      );
    }
  }
  for (const [key, spec] of Object.entries(declared)) {
    if (Object.hasOwn(given, key)) out[key] = coerceParameter(key, spec, given[key]);
    else if (spec.default !== undefined) out[key] = coerceParameter(key, spec, spec.default);
    else throw new UserError(`parameter '${key}' has no default and was not given a value`, 'missing_parameter');
  }
  return out;
}

/** Parse CLI `NAME=VALUE` pairs (values stay strings; coercion happens against the declaration). */
export function parseAssignments(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new UserError(`expected NAME=VALUE, got '${shown(p)}'`, 'bad_usage');
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}
