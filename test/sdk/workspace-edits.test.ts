// compute/ensure and datastores/register: millrace.yml gains one entry, every other byte as the user
// wrote it (comments, spacing); an existing entry is left alone; a process that read the file
// before sees the new entry when it plans or resumes a run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { coreCaller } from '../helpers/core.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const CONFIG = `# my workspace
datastores:
  default: { path: datastores/default }   # the default one
  landing:    { path: /tmp/landing }
compute:
  local: { type: local }            # all cores

  # a pool for slow jobs
  slow: { type: local, max_concurrency: 1 }
environments:
  default: { python: python3 }
`;

let tw: TempWorkspace | undefined;
afterEach(() => tw?.cleanup());

describe('editing millrace.yml', () => {
  it('compute/ensure adds one line after the last pool, at its indentation; the rest stays byte for byte', async () => {
    tw = tempWorkspace(CONFIG);
    const ws = tw.open();
    try {
      const call = coreCaller(ws);
      const pool = await call('compute/ensure', { name: 'cpu-cluster', maxNodes: 1 });
      expect(pool).toMatchObject({ name: 'cpu-cluster', type: 'local', maxConcurrency: 1 });
      expect(readFileSync(join(tw.dir, 'millrace.yml'), 'utf8')).toBe(CONFIG.replace(
        '  slow: { type: local, max_concurrency: 1 }\n',
        '  slow: { type: local, max_concurrency: 1 }\n  cpu-cluster: { type: local, max_concurrency: 1 }\n'));
      // An existing target is returned unchanged.
      expect(await call('compute/ensure', { name: 'slow', maxNodes: 8 })).toMatchObject({ maxConcurrency: 1 });
      // No maxNodes: as many slots as cores.
      expect((await call('compute/ensure', { name: 'big' })).maxConcurrency).toBe(availableParallelism());
      expect((await call('compute/list', {})).map((c) => c.name)).toEqual(['local', 'slow', 'cpu-cluster', 'big']);
    } finally {
      ws.close();
    }
  });

  it('datastores/register adds datastores/<name> and its folder; a flow-style or missing section is rendered anew', async () => {
    tw = tempWorkspace('compute: { local: { type: local } }\n');
    const ws = tw.open();
    try {
      const call = coreCaller(ws);
      const ds = await call('datastores/register', { name: 'blob_data', kind: 'blob' });
      expect(ds).toEqual({ name: 'blob_data', path: join(tw.dir, 'datastores', 'blob_data'), exists: true });
      expect(readFileSync(join(tw.dir, 'millrace.yml'), 'utf8')).toBe('compute: { local: { type: local } }\ndatastores:\n  blob_data: { path: datastores/blob_data }\n');
      expect(await call('datastores/register', { name: 'blob_data', kind: 'file' })).toEqual(ds);
      await call('compute/ensure', { name: 'gpu', maxNodes: 1 });
      expect(readFileSync(join(tw.dir, 'millrace.yml'), 'utf8')).toContain('compute: { local: { type: local }, gpu: { type: local, max_concurrency: 1 } }');
    } finally {
      ws.close();
    }
  });

  it('another process that read millrace.yml before sees the entry once it changed (reloadConfigIfChanged)', async () => {
    tw = tempWorkspace(CONFIG);
    const reader = tw.open();
    const writer = tw.open();
    try {
      expect(Object.keys(reader.config.compute)).not.toContain('cpu-cluster');
      await coreCaller(writer)('compute/ensure', { name: 'cpu-cluster', maxNodes: 1 });
      reader.reloadConfigIfChanged();
      expect(Object.keys(reader.config.compute)).toContain('cpu-cluster');
    } finally {
      reader.close();
      writer.close();
    }
  });
});
