// The model registry (AZUREML.md section 10.4h): a version's file or folder is copied to
// models/<name>/<version>/<basename>; the row records tags and properties (strings), the run and
// experiment it came from. The copy is made beside the registry first and moved in by the
// transaction that picks the version, so two registrations at once never share a version.
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { FileResult } from '../../shared/api/define.js';
import type { ModelRecord } from '../../shared/api/sdk-records.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { artifactPath, stepRunOf } from '../runs/artifacts.js';
import type { StoredModel } from '../store/model-store.js';
import { confinedFile } from '../workspace/confined-path.js';
import type { Workspace } from '../workspace/workspace.js';

export const MODELS_DIR = 'models';

export interface ModelRegistration {
  name: string;
  path?: string;
  runId?: string;
  artifactPath?: string;
  tags?: Record<string, string>;
  properties?: Record<string, string>;
  description?: string;
  datasets?: { name: string; id: string }[];
  framework?: string;
  frameworkVersion?: string;
  experiment?: string;
}

export function modelRecord(ws: Workspace, m: StoredModel): ModelRecord {
  const { name, version, path, ...rest } = m;
  return { name, version, id: `${name}:${version}`, path: join(ws.dir, path), ...rest };
}

/** What to copy: an absolute path on this machine, or an artifact of a step run. */
function sourceOf(ws: Workspace, r: ModelRegistration, local: boolean): string {
  if (r.path !== undefined) {
    if (!local) throw new UserError('models/register: a path on the machine can be given by local callers only (the CLI, the azureml package); give runId and artifactPath', 'forbidden');
    if (r.artifactPath !== undefined) throw new UserError('give either path, or runId with artifactPath', 'invalid_input');
    if (!isAbsolute(r.path)) throw new UserError(`path: expected an absolute path, got '${r.path}'`, 'invalid_input');
    if (!existsSync(r.path)) throw new NotFoundError(`path: ${r.path} does not exist`);
    return r.path;
  }
  if (r.runId === undefined || r.artifactPath === undefined) throw new UserError('give path, or runId with artifactPath', 'invalid_input');
  return artifactPath(ws, stepRunOf(ws, r.runId), r.artifactPath);
}

export function registerModel(ws: Workspace, r: ModelRegistration, local: boolean): ModelRecord {
  const src = sourceOf(ws, r, local);
  let runId: string | null = null;
  let experiment = r.experiment ?? null;
  if (r.runId !== undefined) {
    runId = r.artifactPath !== undefined ? stepRunOf(ws, r.runId) : ws.store.runs.resolveId(r.runId, { steps: true });
    experiment ??= ws.store.runs.state(runId)?.experiment ?? null;
  }
  const root = join(ws.dir, MODELS_DIR);
  const staging = join(root, `.staging-${randomUUID()}`);
  const base = basename(src.replace(/[\\/]+$/, '')) || 'model';
  mkdirSync(staging, { recursive: true });
  try {
    cpSync(src, join(staging, base), { recursive: true, dereference: true });
    const stored = ws.store.models.insert(
      {
        name: r.name, tags: r.tags ?? {}, properties: r.properties ?? {}, description: r.description ?? null, runId, experiment,
        framework: r.framework ?? null, frameworkVersion: r.frameworkVersion ?? null, datasets: r.datasets ?? [],
      },
      (version) => {
        const dir = join(root, r.name, String(version));
        // A folder left by a version whose row was deleted by hand: the new version replaces it.
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(join(root, r.name), { recursive: true });
        renameSync(staging, dir);
        return [MODELS_DIR, r.name, String(version), base].join('/');
      },
    );
    return modelRecord(ws, stored);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function deleteModel(ws: Workspace, name: string, version: number): ModelRecord {
  const m = ws.store.models.delete(name, version);
  rmSync(join(ws.dir, MODELS_DIR, name, String(version)), { recursive: true, force: true });
  return modelRecord(ws, m);
}

/** A version's file, or one file of a folder version. */
export function modelFile(ws: Workspace, name: string, version: number, path?: string): FileResult {
  const m = modelRecord(ws, ws.store.models.get(name, version));
  if (!existsSync(m.path)) throw new NotFoundError(`model ${m.id}: its files are gone from ${m.path}`);
  const isDir = statSync(m.path).isDirectory();
  if (isDir && path === undefined) throw new UserError(`model ${m.id} is a folder: name one of its files with path`, 'invalid_input');
  const file = path === undefined ? m.path : confinedFile(isDir ? m.path : join(m.path, '..'), isDir ? path : basename(m.path), 'model file');
  return { kind: 'file', path: file, name: basename(file), size: statSync(file).size };
}
