// What the azureml package registers (docs/bridge.md): models with their files, environments,
// dataset versions (ids, path lists, globs, tags, create_new_version), the SDK's token; real SQLite.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../main/workspace/workspace.js';
import { coreCaller, rejection } from '../helpers/core.js';
import { cliPath, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tw: TempWorkspace;
let ws: Workspace;
let call: ReturnType<typeof coreCaller>;

beforeAll(() => {
  tw = tempWorkspace();
  ws = tw.open();
  call = coreCaller(ws);
});
afterAll(() => {
  ws.close();
  tw.cleanup();
});

const definition = (pip: string[] = ['scikit-learn']) => ({
  python: { user_managed_dependencies: false, interpreter_path: 'python', conda_dependencies: { name: 'env', channels: ['conda-forge'], conda_packages: ['pip'], pip_packages: pip }, conda_environment_name: null },
  docker: { enabled: false, base_image: null, base_dockerfile: null },
  environment_variables: { MODE: 'fast' },
});

describe('models/*', () => {
  it('register copies a file or folder to models/<name>/<version>/, versions count from 1, tags and properties stay strings', async () => {
    const file = tw.write('model.json', '{"w": 1}');
    const m1 = await call('models/register', { name: 'diabetes_model', path: file, tags: { area: 'diabetes' }, properties: { AUC: '0.88' }, description: 'first' });
    expect(m1).toMatchObject({ name: 'diabetes_model', version: 1, id: 'diabetes_model:1', path: join(tw.dir, 'models', 'diabetes_model', '1', 'model.json'), tags: { area: 'diabetes' }, properties: { AUC: '0.88' }, runId: null });
    expect(readFileSync(m1.path, 'utf8')).toBe('{"w": 1}');
    mkdirSync(join(tw.dir, 'folder_model', 'sub'), { recursive: true });
    writeFileSync(join(tw.dir, 'folder_model', 'sub', 'weights.bin'), 'abc');
    const m2 = await call('models/register', { name: 'diabetes_model', path: join(tw.dir, 'folder_model') });
    expect(m2.version).toBe(2);
    expect(readFileSync(join(m2.path, 'sub', 'weights.bin'), 'utf8')).toBe('abc');
    await call('models/register', { name: 'other', path: file });
    expect((await call('models/list', {})).map((m) => m.id)).toEqual(['other:1', 'diabetes_model:2', 'diabetes_model:1']);
    expect((await call('models/list', { latest: true })).map((m) => m.id)).toEqual(['other:1', 'diabetes_model:2']);
    expect((await call('models/get', { name: 'diabetes_model' })).version).toBe(2);
    expect((await rejection(call('models/get', { name: 'nope' }))).code).toBe('not_found');
  });

  it('update replaces tags, adds properties but never changes one; delete removes the row and its files', async () => {
    const u = await call('models/update', { name: 'diabetes_model', version: 1, tags: { b: '2' }, properties: { Accuracy: '0.9' } });
    expect(u).toMatchObject({ tags: { b: '2' }, properties: { AUC: '0.88', Accuracy: '0.9' } });
    expect((await rejection(call('models/update', { name: 'diabetes_model', version: 1, properties: { AUC: '0.5' } }))).code).toBe('conflict');
    const gone = await call('models/delete', { name: 'other', version: 1 });
    expect(existsSync(gone.path)).toBe(false);
    expect((await call('models/list', { name: 'other' }))).toEqual([]);
  });

  it('a file download names one file of a folder model; a step run artifact registers with its run and experiment', async () => {
    const f = await call('models/file', { name: 'diabetes_model', version: 2, path: 'sub/weights.bin' });
    expect(f).toMatchObject({ kind: 'file', name: 'weights.bin', size: 3 });
    expect((await rejection(call('models/file', { name: 'diabetes_model', version: 2, path: '../1/model.json' }))).code).toBe('not_found');
    // A step run whose working copy handed over outputs/model.pkl (runs/<run>/<step>/outputs/).
    tw.write('pipelines/one.yml', 'name: one\nsteps:\n  train:\n    type: command\n    command: [python3, -c, "print(1)"]\n');
    const { runId } = (await import('../../main/executor/submit.js')).recordRun(ws, join(tw.dir, 'pipelines', 'one.yml'), { trigger: { kind: 'cli', user: null }, experiment: 'exp' });
    const step = ws.store.runs.get(runId).steps[0];
    mkdirSync(join(ws.runDir(runId), 'train', 'outputs'), { recursive: true });
    writeFileSync(join(ws.runDir(runId), 'train', 'outputs', 'model.pkl'), 'pickled');
    const fromRun = await call('models/register', { name: 'from_run', runId, artifactPath: 'outputs/model.pkl' });
    expect(fromRun).toMatchObject({ runId: step.id, experiment: 'exp', path: join(tw.dir, 'models', 'from_run', '1', 'model.pkl') });
    expect((await call('runs/artifacts', { id: step.id })).map((a) => a.path)).toEqual(['outputs/model.pkl']);
    expect((await rejection(call('models/register', { name: 'x', runId, artifactPath: 'outputs/none.pkl' }))).code).toBe('not_found');
    const remote = coreCaller(ws, { kind: 'token', name: 'ci' });
    expect((await rejection(remote('models/register', { name: 'x', path: '/etc/passwd' }))).code).toBe('forbidden');
  });
});

describe('sdk/environment-*', () => {
  it('register keeps the version while the definition is the same; get finds registered and millrace.yml environments', async () => {
    const v1 = await call('sdk/environment-register', { name: 'train-env', definition: definition() });
    expect(v1).toMatchObject({ name: 'train-env', version: 1, source: 'sdk' });
    expect((await call('sdk/environment-register', { name: 'train-env', definition: definition() })).version).toBe(1);
    expect((await call('sdk/environment-register', { name: 'train-env', definition: definition(['torch']) })).version).toBe(2);
    expect((await call('sdk/environment-get', { name: 'train-env', version: '1' })).definition?.python.conda_dependencies?.pip_packages).toEqual(['scikit-learn']);
    expect((await call('sdk/environment-get', { name: 'train-env' })).version).toBe(2);
    expect(await call('sdk/environment-get', { name: 'default' })).toEqual({ name: 'default', version: null, source: 'millrace.yml', python: 'python3', definition: null });
    expect((await call('sdk/environment-list', {})).map((e) => [e.name, e.version, e.source])).toEqual([['default', null, 'millrace.yml'], ['train-env', 2, 'sdk']]);
    expect((await rejection(call('sdk/environment-get', { name: 'nope' }))).code).toBe('not_found');
  });
});

describe('datasets', () => {
  it('paths with aliases and globs register a version with a UUID; the same definition is that version; another needs createNewVersion', async () => {
    const d1 = await call('datasets/register', { name: 'Quarterly Sales', kind: 'tabular', paths: [{ datastore: 'workspaceblobstore', path: 'sales/**/*.csv' }],
      format: { type: 'delimited', separator: ';', header: true, encoding: 'utf8', includePath: false }, tags: { q: '1' }, description: 'two files' });
    expect(d1).toMatchObject({ name: 'Quarterly Sales', version: 1, datastore: 'default', path: 'sales/**/*.csv', paths: [{ datastore: 'default', path: 'sales/**/*.csv' }], tags: { q: '1' } });
    expect(d1.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const same = await call('datasets/register', { name: 'Quarterly Sales', kind: 'tabular', paths: [{ datastore: 'default', path: 'sales/**/*.csv' }],
      format: { type: 'delimited', separator: ';', header: true, encoding: 'utf8', includePath: false }, tags: { other: 'x' }, createNewVersion: false });
    expect(same).toEqual({ ...d1, created: false });
    const other = { name: 'Quarterly Sales', kind: 'tabular' as const, paths: [{ datastore: 'default', path: 'sales/2026/*.csv' }] };
    const e = await rejection(call('datasets/register', { ...other, createNewVersion: false }));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('create_new_version=True');
    const d2 = await call('datasets/register', { ...other, createNewVersion: true });
    expect(d2.version).toBe(2);
    const { created: _created, ...v1 } = d1;
    expect(await call('datasets/get-by-id', { id: d1.id })).toEqual(v1);
    expect((await call('datasets/set-tags', { name: 'Quarterly Sales', version: 1, tags: { a: 'b' } })).tags).toEqual({ a: 'b' });
    expect((await call('datasets/list', {})).map((d) => d.version)).toEqual([1, 2]);
    expect((await rejection(call('datasets/get-by-id', { id: 'nope' }))).code).toBe('not_found');
    expect((await rejection(call('datasets/register', { name: 'x', kind: 'file', paths: [{ datastore: 'default', path: '../up' }] }))).code).toBe('invalid_input');
    expect((await rejection(call('datasets/register', { name: 'bad/name', kind: 'file', paths: [{ datastore: 'default', path: 'x' }] }))).code).toBe('invalid_input');
  });
});

describe('tokens/sdk', () => {
  const mint = () =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [cliPath, 'bridge', '--stdio', '-w', tw.dir], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('exit', () => {
        try {
          resolve((JSON.parse(out.trim()) as { result: { token: string } }).result.token);
        } catch (e) {
          reject(new Error(`bridge answered ${out}: ${(e as Error).message}`));
        }
      });
      child.stdin.end('{"id":1,"name":"tokens/sdk","args":{}}\n');
    });

  it('is minted once: bridges asking at the same moment get one secret, cached owner-only', async () => {
    const secrets = await Promise.all([mint(), mint(), mint(), mint()]);
    expect(new Set(secrets).size).toBe(1);
    expect(ws.store.tokens.verify(secrets[0])).toBe('azureml-sdk');
    expect(ws.store.tokens.list().map((t) => t.name)).toEqual(['azureml-sdk']);
    const file = join(tw.dir, '.millrace', 'azureml-sdk.token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(tw.dir, '.millrace')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8').trim()).toBe(secrets[0]);
  });

  it('after a revoke the next call mints a new one; a taken name gets -2', async () => {
    const old = (await call('tokens/sdk', {})).token;
    await call('tokens/revoke', { name: 'azureml-sdk' });
    const fresh = await call('tokens/sdk', {});
    expect(fresh.token).not.toBe(old);
    expect(ws.store.tokens.verify(fresh.token)).toBe('azureml-sdk');
    writeFileSync(join(tw.dir, '.millrace', 'azureml-sdk.token'), 'mr_lost\n');
    expect((await call('tokens/sdk', {})).name).toBe('azureml-sdk-2');
  });
});
