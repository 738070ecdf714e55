// Registering a dataset version: a named reference to a file or folder on a datastore (DESIGN.md section 6).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatasetVersionRecord } from '../../shared/api/records.js';
import type { DatasetKind } from '../../shared/constants.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { isInside } from '../workspace/confined-file.js';
import type { Workspace } from '../workspace/workspace.js';

export function registerDataset(
  ws: Workspace,
  d: { name: string; datastore: string; path: string; kind: DatasetKind; description?: string },
): DatasetVersionRecord {
  const root = ws.datastorePath(d.datastore);
  const full = resolve(root, d.path);
  if (!isInside(root, full)) throw new UserError(`path: '${d.path}' leads outside datastore '${d.datastore}'`, 'invalid_input');
  if (!existsSync(full)) throw new NotFoundError(`path: ${full} does not exist on datastore '${d.datastore}'`);
  return ws.store.datasets.register(d).record;
}
