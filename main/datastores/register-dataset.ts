// Registering a dataset version (DESIGN.md section 1): a name for a file or folder on a datastore.
// What the studio (and `millrace dataset register`) checks before the store records it.
import type { DatasetKind } from '../../shared/constants.js';
import { UserError } from '../../shared/errors.js';
import type { DatasetRecord } from '../../shared/types.js';
import { confinedPath } from '../workspace/confined-path.js';
import type { Workspace } from '../workspace/workspace.js';

export const DATASET_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export interface NewDataset {
  name: string;
  datastore: string;
  path: string;
  kind: DatasetKind;
  description?: string | null;
}

/** A new version, unless the latest one already points at the same place (`created` false then). */
export function registerDataset(ws: Workspace, d: NewDataset): { record: DatasetRecord; created: boolean } {
  if (!DATASET_NAME.test(d.name)) throw new UserError(`dataset name '${d.name}' must match [A-Za-z_][A-Za-z0-9_.-]*`, 'invalid_input');
  const path = d.path.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  if (!path) throw new UserError('path: give a file or folder on the datastore, not its root', 'invalid_input');
  try {
    confinedPath(ws.datastorePath(d.datastore), path, `path on datastore '${d.datastore}'`, 'file');
  } catch {
    confinedPath(ws.datastorePath(d.datastore), path, `file or folder on datastore '${d.datastore}'`, 'folder');
  }
  return ws.store.datasets.register({ ...d, path });
}
