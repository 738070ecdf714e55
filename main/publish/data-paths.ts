// Azure's DataPathAssignments (REST) and the SDK's DataPath overrides set `path` parameters: a plain
// path, or {DataStoreName, RelativePath}. The datastore may be an SDK alias (AZUREML.md 10.2) and
// must be the one the pipeline reads the parameter from; the path must stay inside it (it need not
// exist: section 10.4f).
import { posix } from 'node:path';
import type { DataPathAssignment } from '../../shared/api/azure.js';
import { realDatastore } from '../../shared/datastore-aliases.js';
import { UserError, type ErrorCode } from '../../shared/errors.js';
import { refsIn } from '../../shared/pipeline/expressions.js';
import type { ParameterSpec } from '../../shared/pipeline/schema.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import { ownValue, shown } from '../../shared/safe-text.js';
import type { Workspace } from '../workspace/workspace.js';

/** The datastores a parameter is read from as a path (`{datastore: D, path: ${{parameters.NAME}}}`). */
export function datastoresOfParameter(pipeline: ValidPipeline, param: string): Set<string> {
  const used = new Set<string>();
  for (const step of Object.values(pipeline.spec.steps)) {
    for (const inp of Object.values(step.inputs ?? {})) {
      if (typeof inp !== 'object' || !('datastore' in inp) || typeof inp.path !== 'string') continue;
      if (refsIn(inp.path).refs.some((r) => r.kind === 'parameters' && r.name === param)) used.add(inp.datastore);
    }
  }
  return used;
}

/** A path relative to its datastore that stays inside it, '/'-separated. */
export function relativeDataPath(field: string, path: string, code: ErrorCode = 'invalid_parameter'): string {
  const raw = path.replace(/\\/g, '/');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw new UserError(`${field}: expected a path relative to the datastore, got '${shown(path)}'`, code);
  const norm = posix.normalize(raw || '.');
  if (norm === '..' || norm.startsWith('../')) throw new UserError(`${field}: '${shown(path)}' leads outside the datastore`, code);
  return norm === '.' ? '' : norm.replace(/\/+$/, '');
}

/** `given` as parameter values; `field` names the request's key in messages (DataPathAssignments, dataPaths). */
export function dataPathValues(
  ws: Workspace,
  specs: Record<string, ParameterSpec>,
  pipeline: ValidPipeline,
  given: Record<string, DataPathAssignment>,
  params: Record<string, unknown>,
  field = 'DataPathAssignments',
): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const known = Object.keys(ws.config.datastores);
  for (const [name, v] of Object.entries(given)) {
    const spec = ownValue(specs, name);
    if (!spec) {
      const names = Object.keys(specs);
      throw new UserError(`${field}: unknown parameter '${shown(name)}'${names.length ? ` (this pipeline has: ${names.join(', ')})` : ''}`, 'unknown_parameter');
    }
    if (spec.type !== 'path') throw new UserError(`${field}: parameter '${name}' is a ${spec.type}, not a path; set it in ParameterAssignments`, 'invalid_parameter');
    if (Object.hasOwn(params, name)) throw new UserError(`parameter '${name}' is set in both ParameterAssignments and ${field}`, 'invalid_parameter');
    const path = typeof v === 'string' ? v : v.RelativePath;
    if (typeof v !== 'string' && v.DataStoreName !== undefined) {
      const real = realDatastore(v.DataStoreName, known);
      if (!real) throw new UserError(`${field}.${name}: unknown datastore '${shown(v.DataStoreName)}' (known: ${known.join(', ')})`, 'invalid_parameter');
      const used = datastoresOfParameter(pipeline, name);
      if (used.size && !used.has(real)) {
        throw new UserError(`${field}.${name}: this pipeline reads '${name}' from datastore ${[...used].map((d) => `'${d}'`).join(', ')}, not '${v.DataStoreName}'`, 'invalid_parameter');
      }
    }
    out[name] = relativeDataPath(`${field}.${name}`, path);
  }
  return out;
}
