// Registering a dataset version (DESIGN.md section 6, AZUREML.md section 10.3): a named definition
// over datastore paths. Datastore names may be SDK aliases (stored as the real name); every path
// stays inside its datastore. The CLI's one `datastore` + `path` must exist; SDK `paths` (globs
// allowed) need not match anything yet (the package validated when asked to).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatasetVersionRecord } from '../../shared/api/records.js';
import type { DatasetFormat } from '../../shared/api/sdk-records.js';
import type { DatasetKind } from '../../shared/constants.js';
import { realDatastore } from '../../shared/datastore-aliases.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { relativeDataPath } from '../publish/data-paths.js';
import { isInside } from '../workspace/confined-path.js';
import type { Workspace } from '../workspace/workspace.js';

/** AZUREML.md section 10.3: 1-250 characters, spaces allowed; no control characters, no '/', no leading or trailing space. */
export function datasetNameProblem(name: string): string | undefined {
  if (!name.length || name.length > 250) return 'a dataset name has 1 to 250 characters';
  if (/[\u0000-\u001f\u007f/]/.test(name)) return "a dataset name holds no control characters and no '/'";
  if (name.trim() !== name) return 'a dataset name has no leading or trailing space';
  return undefined;
}

export interface DatasetRegistration {
  name: string;
  datastore?: string;
  path?: string;
  paths?: { datastore: string; path: string }[];
  kind: DatasetKind;
  format?: DatasetFormat | null;
  description?: string | null;
  tags?: Record<string, string>;
  createNewVersion?: boolean;
}

function realName(ws: Workspace, field: string, name: string): string {
  const known = Object.keys(ws.config.datastores);
  const real = realDatastore(name, known);
  if (!real) throw new NotFoundError(`${field}: unknown datastore '${name}' (known: ${known.join(', ')})`);
  return real;
}

/** The latest version when the definition is the same (`created` false), else a new version. */
export function registerDataset(ws: Workspace, d: DatasetRegistration): { record: DatasetVersionRecord; created: boolean } {
  const bad = datasetNameProblem(d.name);
  if (bad) throw new UserError(`dataset name '${d.name}': ${bad}`, 'invalid_input');
  let paths: { datastore: string; path: string }[];
  if (d.paths) {
    if (d.datastore !== undefined || d.path !== undefined) throw new UserError('give either paths or datastore with path, not both', 'invalid_input');
    paths = d.paths.map((p, i) => {
      const field = `paths[${i}]`;
      const path = relativeDataPath(`${field}.path`, p.path, 'invalid_input');
      if (!path) throw new UserError(`${field}.path: give a path on the datastore (its root is not a dataset)`, 'invalid_input');
      return { datastore: realName(ws, `${field}.datastore`, p.datastore), path };
    });
  } else {
    if (d.datastore === undefined || d.path === undefined) throw new UserError('give paths, or datastore with path', 'invalid_input');
    const datastore = realName(ws, 'datastore', d.datastore);
    const root = ws.datastorePath(datastore);
    const full = resolve(root, d.path);
    if (!isInside(root, full)) throw new UserError(`path: '${d.path}' leads outside datastore '${d.datastore}'`, 'invalid_input');
    if (!existsSync(full)) throw new NotFoundError(`path: ${full} does not exist on datastore '${d.datastore}'`);
    const path = d.path.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
    if (!path) throw new UserError('path: give a file or folder on the datastore, not its root', 'invalid_input');
    paths = [{ datastore, path }];
  }
  if (d.kind === 'file' && d.format) throw new UserError('format: only a tabular dataset has read options', 'invalid_input');
  return ws.store.datasets.register({ name: d.name, kind: d.kind, paths, format: d.format ?? null, description: d.description, tags: d.tags, createNewVersion: d.createNewVersion });
}
