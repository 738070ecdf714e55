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
import { isInside } from '../workspace/confined-file.js';
import type { Workspace } from '../workspace/workspace.js';

export interface DatasetRegistration {
  name: string;
  datastore?: string;
  path?: string;
  paths?: { datastore: string; path: string }[];
  kind: DatasetKind;
  format?: DatasetFormat | null;
  description?: string;
  tags?: Record<string, string>;
  createNewVersion?: boolean;
}

function realName(ws: Workspace, field: string, name: string): string {
  const known = Object.keys(ws.config.datastores);
  const real = realDatastore(name, known);
  if (!real) throw new NotFoundError(`${field}: unknown datastore '${name}' (known: ${known.join(', ')})`);
  return real;
}

export function registerDataset(ws: Workspace, d: DatasetRegistration): DatasetVersionRecord {
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
    paths = [{ datastore, path: d.path }];
  }
  if (d.kind === 'file' && d.format) throw new UserError('format: only a tabular dataset has read options', 'invalid_input');
  return ws.store.datasets.register({ name: d.name, kind: d.kind, paths, format: d.format ?? null, description: d.description, tags: d.tags, createNewVersion: d.createNewVersion }).record;
}
