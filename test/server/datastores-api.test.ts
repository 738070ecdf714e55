// The Workspace page's datastore browser and dataset registration: folders and files with sizes,
// the head of a CSV, a download, a dataset registered from the studio — never outside a datastore.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from './helpers.js';

let s: Served;
let ds: string;
beforeAll(async () => {
  s = await serve();
  ds = join(s.tw.dir, 'datastores', 'default');
  mkdirSync(join(ds, 'landing', 'b'), { recursive: true });
  writeFileSync(join(ds, 'landing', 'points.csv'), ['x,y,"label, quoted"', ...Array.from({ length: 40 }, (_, i) => `${i},${i * 2},"a ""b"""`)].join('\n') + '\n');
  writeFileSync(join(ds, 'landing', 'blob.bin'), Buffer.from([1, 0, 2, 3]));
  writeFileSync(join(s.tw.dir, 'secret.txt'), 'not on a datastore');
  symlinkSync(join(s.tw.dir, 'secret.txt'), join(ds, 'landing', 'link.txt'));
});
afterAll(() => s.stop());

const get = (path: string) => s.http('GET', path);

describe('datastore browsing', () => {
  it('lists a folder: folders first, files with sizes', async () => {
    const root = await s.api('GET', '/api/v1/datastores/default/files');
    expect(root.entries.map((e: any) => e.path)).toEqual(expect.arrayContaining(['landing', 'raw']));
    const l = await s.api('GET', '/api/v1/datastores/default/files?path=landing');
    expect(l.path).toBe('landing');
    expect(l.entries.map((e: any) => [e.name, e.kind])).toEqual([['b', 'folder'], ['blob.bin', 'file'], ['points.csv', 'file']]);
    expect(l.entries[1].size).toBe(4);
  });

  it("previews a CSV's head; a binary file shows no text", async () => {
    const p = await s.api('GET', '/api/v1/datastores/default/preview?path=landing%2Fpoints.csv&lines=3');
    expect(p.text).toBe('x,y,"label, quoted"\n0,0,"a ""b"""\n1,2,"a ""b"""');
    expect(p).toMatchObject({ truncated: true, binary: false });
    expect(await s.api('GET', '/api/v1/datastores/default/preview?path=landing%2Fblob.bin')).toMatchObject({ binary: true, text: '' });
    const f = await get('/api/v1/datastores/default/file?path=landing%2Fpoints.csv');
    expect(f.status).toBe(200);
    expect(f.text.startsWith('x,y')).toBe(true);
  });

  it('never leaves the datastore (.., absolute paths, links that lead out, unknown datastores)', async () => {
    for (const p of ['../../secret.txt', '/etc/passwd', 'landing/link.txt', 'landing/../../../millrace.yml']) {
      expect((await get(`/api/v1/datastores/default/preview?path=${encodeURIComponent(p)}`)).status, p).toBe(404);
      expect((await get(`/api/v1/datastores/default/file?path=${encodeURIComponent(p)}`)).status, p).toBe(404);
    }
    expect((await get('/api/v1/datastores/default/files?path=..')).status).toBe(404);
    expect((await get('/api/v1/datastores/nope/files')).status).toBe(404);
  });
});

describe('datasets/register', () => {
  it('registers a file or folder of a datastore, a new version only when it points elsewhere', async () => {
    const a = await s.api('POST', '/api/v1/datasets', { name: 'points', datastore: 'default', path: 'landing/points.csv', kind: 'tabular', description: 'from the UI' });
    expect(a).toMatchObject({ name: 'points', version: 1, kind: 'tabular', path: 'landing/points.csv', created: true });
    expect(await s.api('POST', '/api/v1/datasets', { name: 'points', datastore: 'default', path: 'landing/points.csv', kind: 'tabular' })).toMatchObject({ version: 1, created: false });
    expect(await s.api('POST', '/api/v1/datasets', { name: 'points', datastore: 'default', path: 'landing' })).toMatchObject({ version: 2, created: true });
    expect((await s.api('GET', '/api/v1/datasets')).filter((d: any) => d.name === 'points')).toHaveLength(2);
  });

  it('refuses bad names, missing paths and paths outside the datastore', async () => {
    const post = (body: unknown) => s.http('POST', '/api/v1/datasets', { body });
    // Names follow AZUREML.md's rule: spaces allowed; no '/', no control character, no space at either end.
    for (const name of ['a/b', ' padded', 'tab\there']) expect((await post({ name, datastore: 'default', path: 'landing' })).status, name).toBe(400);
    expect((await post({ name: '9 Quarterly Sales', datastore: 'default', path: 'landing' })).status).toBe(200);
    expect((await post({ name: 'x', datastore: 'default', path: 'nope.csv' })).status).toBe(404);
    expect((await post({ name: 'x', datastore: 'default', path: '../../secret.txt' })).status).toBe(400); // leads outside
    expect((await post({ name: 'x', datastore: 'nope', path: 'a' })).status).toBe(404);
    expect((await post({ name: 'x', datastore: 'default', path: '/' })).status).toBe(400);
  });
});
