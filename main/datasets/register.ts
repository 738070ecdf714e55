// Registering a dataset version (DESIGN.md section 1): a name for a file or folder on a datastore.
// What the studio (and `millrace dataset register`) checks before the store records it.
import type { DatasetKind } from '../../shared/constants.js';
import { UserError } from '../../shared/errors.js';
import type { DatasetVersionRecord as DatasetRecord } from '../../shared/api/records.js';
import { confinedPath } from '../workspace/confined-path.js';
import type { Workspace } from '../workspace/workspace.js';

/** AZUREML.md section 10.3: 1-250 characters, spaces allowed; no control characters, no '/', no leading or trailing space. */
export function datasetNameProblem(name: string): string | undefined {
  if (!name.length || name.length > 250) return 'a dataset name has 1 to 250 characters';
  if (/[\u0000-\u001f\u007f/]/.test(name)) return "a dataset name holds no control characters and no '/'";
  if (name.trim() !== name) return 'a dataset name has no leading or trailing space';
  return undefined;
}

export interface NewDataset {
  name: string;
  datastore: string;
  path: string;
  kind: DatasetKind;
  description?: string | null;
}

/** A new version, unless the latest one already points at the same place (`created` false then). */
export function registerDataset(ws: Workspace, d: NewDataset): { record: DatasetRecord; created: boolean } {
  const bad = datasetNameProblem(d.name);
  if (bad) throw new UserError(`dataset name '${d.name}': ${bad}`, 'invalid_input');
  const path = d.path.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  if (!path) throw new UserError('path: give a file or folder on the datastore, not its root', 'invalid_input');
  try {
    confinedPath(ws.datastorePath(d.datastore), path, `path on datastore '${d.datastore}'`, 'file');
  } catch {
    confinedPath(ws.datastorePath(d.datastore), path, `file or folder on datastore '${d.datastore}'`, 'folder');
  }
  return ws.store.datasets.register({ ...d, path });
}
