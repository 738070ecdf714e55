// Validated pipelines, cached by content: parsing and checking a 200-step YAML file costs ~150 ms
// here, and a rerun of an unchanged file should not pay it again (issue 13). The key covers the
// file's path and text, what the workspace offered the checks (datastores, compute targets,
// environments, datasets, capacities) and the validator's own build, so a change to any of them
// validates afresh. Kept in the store, because every CLI command is a new process.
import { createHash } from 'node:crypto';
import type { ValidPipeline, WorkspaceNames } from '../../shared/pipeline/validate.js';
import { parseWithoutPrototypes } from '../../shared/safe-text.js';
import { millraceBuild } from '../package-root.js';
import type { PipelineCacheStore } from '../store/pipeline-cache-store.js';

interface Stored {
  file: string;
  name: string;
  spec: ValidPipeline['spec'];
  order: string[];
  deps: Record<string, string[]>;
}

const validatorBuild = millraceBuild;

/** True when JSON holds `v` exactly: plain objects, arrays, strings, finite numbers, booleans, null. */
function jsonSafe(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === null || proto === Object.prototype) && Object.values(v).every(jsonSafe);
}

export function pipelineKey(abs: string, text: string, names: WorkspaceNames): string {
  return createHash('sha256').update(JSON.stringify([1, validatorBuild(), abs, names])).update('\0').update(text).digest('hex');
}

/** The cached validation of `abs` with this text and these names, or `validate()`'s, then cached. */
export function cachedValidation(cache: PipelineCacheStore, abs: string, text: string, names: WorkspaceNames, validate: () => ValidPipeline): ValidPipeline {
  const key = pipelineKey(abs, text, names);
  const hit = cache.get(abs, key);
  if (hit !== undefined) {
    const s = parseWithoutPrototypes(hit) as Stored;
    return { file: s.file, name: s.name, spec: s.spec, order: s.order, graph: { deps: new Map(Object.entries(s.deps).map(([k, v]) => [k, new Set(v)])) } };
  }
  const valid = validate();
  const stored: Stored = {
    file: valid.file, name: valid.name, spec: valid.spec, order: valid.order,
    deps: Object.fromEntries([...valid.graph.deps].map(([k, v]) => [k, [...v]])),
  };
  // Only what JSON gives back unchanged is cached (an undefined member would come back missing).
  if (jsonSafe(valid.spec)) {
    try {
      cache.put(abs, key, JSON.stringify(stored));
    } catch {
      /* a cache that cannot be written (read-only or full disk) costs only time */
    }
  }
  return valid;
}
