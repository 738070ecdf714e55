// sdk/submit, sdk/validate, sdk/run and sdk/run-properties (docs/bridge.md) through the core's
// dispatch on a real workspace; the runs they record are driven by a real detached `millrace runner`.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentHasher } from '../../main/reuse/content-hasher.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { coreCaller, rejection } from '../helpers/core.js';
import { execConfig } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

// The runner this workspace gets leaves soon after its runs end.
process.env.MILLRACE_RUNNER_IDLE_MS = '1500';

let tw: TempWorkspace;
let ws: Workspace;
let call: ReturnType<typeof coreCaller>;
let project: string;

/** What the azureml package compiles for a two-step pipeline (display names with spaces, x-azureml). */
function spec(extra: Record<string, unknown> = {}) {
  return {
    name: 'pipeline',
    parameters: { rate: { type: 'number', default: 0.5 } },
    steps: {
      Prepare_Data: {
        type: 'python', display_name: 'Prepare Data', script: 'prep.py', source_directory: join(project, 'scripts'),
        arguments: ['--out', '${{outputs.prepped}}', '--rate', '${{parameters.rate}}'],
        outputs: { prepped: { datastore: 'default' } }, compute: 'local',
        'x-azureml': { class: 'PythonScriptStep', name: 'Prepare Data', compute: 'cpu-cluster' },
      },
      Train_Model: {
        type: 'python', display_name: 'Train Model', script: 'train.py', source_directory: join(project, 'scripts'),
        arguments: ['--in', '${{inputs.prepped}}'], inputs: { prepped: '${{steps.Prepare_Data.outputs.prepped}}' },
        'x-azureml': { class: 'PythonScriptStep', name: 'Train Model' },
      },
    },
    'x-azureml': { sdk: '1.24.0+millrace.test', script: join(project, 'pipeline.py') },
    ...extra,
  };
}

async function settled(id: string, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('sdk/run', { id });
    if (['Completed', 'Failed', 'Canceled'].includes(r.status)) return r;
    if (Date.now() > end) throw new Error(`run ${id} still ${r.status}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

beforeAll(() => {
  tw = tempWorkspace(execConfig());
  ws = tw.open();
  call = coreCaller(ws);
  project = join(tw.dir, '..', `${tw.dir.split('/').pop()}-project`);
  mkdirSync(join(project, 'scripts', 'outputs'), { recursive: true });
  mkdirSync(join(project, 'scripts', 'logs'), { recursive: true });
  writeFileSync(join(project, 'scripts', 'prep.py'), 'import os, sys\nos.makedirs(sys.argv[2], exist_ok=True)\nopen(os.path.join(sys.argv[2], "x.txt"), "w").write(sys.argv[4])\n');
  writeFileSync(join(project, 'scripts', 'train.py'), 'import sys\nprint("read", open(sys.argv[2] + "/x.txt").read())\n');
  writeFileSync(join(project, 'scripts', 'outputs', 'old_model.pkl'), 'not code');
  writeFileSync(join(project, 'scripts', 'logs', 'old.log'), 'not code');
  writeFileSync(join(project, 'scripts', 'notes.tmp'), 'ignored by .amlignore');
  writeFileSync(join(project, 'scripts', '.amlignore'), '*.tmp\n');
});
afterAll(() => {
  ws.close();
  tw.cleanup();
  rmSync(project, { recursive: true, force: true });
});

describe('sdk/submit', () => {
  let first: Awaited<ReturnType<typeof call<'sdk/submit'>>>;

  it('writes pipelines/sdk/<name>-<hash8>.yml, snapshots each step, records the run unclaimed and answers at once', async () => {
    first = await call('sdk/submit', { spec: spec(), name: 'pipeline', experiment: 'training', parameters: { rate: 0.25 }, tags: { team: 'ml' } });
    expect(first.pipelineFile).toMatch(new RegExp(`^${tw.dir}/pipelines/sdk/pipeline-[0-9a-f]{8}\\.yml$`));
    expect(readFileSync(first.pipelineFile, 'utf8')).toContain('x-azureml:');
    expect(first.steps.map((s) => [s.stepId, s.displayName, s.allowReuse])).toEqual([['Prepare_Data', 'Prepare Data', true], ['Train_Model', 'Train Model', true]]);
    expect(first.run).toMatchObject({
      kind: 'pipeline', name: 'pipeline', experiment: 'training', status: 'NotStarted', parameters: { rate: 0.25 },
      trigger: { kind: 'sdk', script: '/home/ana/proj/pipeline.py', user: 'ana' }, tags: { team: 'ml' }, pipelineFile: first.pipelineFile,
      xAzureml: { sdk: '1.24.0+millrace.test' }, submittedBy: 'ana',
    });
    expect(first.run.steps!.map((s) => [s.name, s.stepId, s.status, s.target])).toEqual([
      ['Prepare Data', 'Prepare_Data', 'NotStarted', 'cpu-cluster'], ['Train Model', 'Train_Model', 'NotStarted', 'local']]);
    // Recorded without an owner: a serve or the runner claims it.
    expect(ws.store.runs.state(first.run.id)).toMatchObject({ ownerPid: null });
  });

  it("snapshots only the code (no top-level outputs/ or logs/, nothing .amlignore names), named by the copy's content hash", async () => {
    const hash = first.steps[0].codeHash;
    expect(first.steps[1].codeHash).toBe(hash); // one source directory, one snapshot
    const dir = join(tw.dir, 'snapshots', hash);
    expect(readdirSync(dir).sort()).toEqual(['.amlignore', 'prep.py', 'train.py']);
    expect((await new ContentHasher(ws.store.fileHashes).hashPath(dir)).hash).toBe(hash);
    // The studio lists the written spec as generated (AZUREML.md section 10.4b); the user's own files are not.
    const listed = await call('pipelines/list', {});
    const sdkFile = listed.find((f) => f.file.startsWith('sdk/'));
    expect(sdkFile).toMatchObject({ file: expect.stringMatching(/^sdk\/pipeline-[0-9a-f]{8}\.yml$/), generated: true, valid: true });
    expect(listed.filter((f) => !f.file.startsWith('sdk/')).every((f) => !f.generated)).toBe(true);
    // Each step run records the snapshot it runs from.
    expect(ws.store.runs.stepStates(first.run.id).map((s) => [s.name, (s.definition as { snapshot: string }).snapshot])).toEqual([['Prepare_Data', hash], ['Train_Model', hash]]);
  });

  it('the runner drives the run to its end; sdk/run reads steps, inputs, outputs and logs', async () => {
    const done = await settled(first.run.id);
    expect(done.status).toBe('Completed');
    const [prep, train] = done.steps!;
    expect(prep.outputs.prepped).toEqual({ path: join(tw.dir, 'datastores', 'default', 'azureml', prep.id, 'prepped'), datastore: 'default', pathOnDatastore: `azureml/${prep.id}/prepped` });
    expect(train.inputs.prepped).toEqual({ path: prep.outputs.prepped.path, kind: 'pipelineData', mode: 'mount' });
    expect(readFileSync(train.logFiles['user_logs/std_log.txt'], 'utf8')).toContain('read 0.25');
    const step = await call('sdk/run', { id: train.id });
    expect(step).toMatchObject({ kind: 'step', parentId: first.run.id, stepId: 'Train_Model', name: 'Train Model', xAzureml: { class: 'PythonScriptStep' } });
  });

  it('the same spec is the same file, not rewritten; a changed spec is another file', async () => {
    const mtime = statSync(first.pipelineFile).mtimeMs;
    const again = await call('sdk/submit', { spec: spec(), name: 'pipeline', experiment: 'training' });
    expect(again.pipelineFile).toBe(first.pipelineFile);
    expect(statSync(first.pipelineFile).mtimeMs).toBe(mtime);
    const other = await call('sdk/submit', { spec: spec({ description: 'changed' }), name: 'pipeline', experiment: 'training' });
    expect(other.pipelineFile).not.toBe(first.pipelineFile);
    await settled(again.run.id);
    await settled(other.run.id);
  });

  it('an edit of the source folder after a submit makes a new snapshot; the old one stays as it was', async () => {
    writeFileSync(join(project, 'scripts', 'train.py'), 'import sys\nprint("v2", open(sys.argv[2] + "/x.txt").read())\n');
    const r = await call('sdk/submit', { spec: spec(), name: 'pipeline', experiment: 'training' });
    expect(r.steps[1].codeHash).not.toBe(first.steps[1].codeHash);
    expect(readFileSync(join(tw.dir, 'snapshots', first.steps[1].codeHash, 'train.py'), 'utf8')).toContain('"read"');
    expect(readFileSync(join(tw.dir, 'snapshots', r.steps[1].codeHash, 'train.py'), 'utf8')).toContain('"v2"');
    await settled(r.run.id);
  });

  it('problems name the display name, then the step id; nothing is written or recorded', async () => {
    const before = ws.store.runs.list({ limit: 500 }).length;
    const bad = spec();
    (bad.steps.Train_Model as Record<string, unknown>).script = 'missing.py';
    (bad.steps.Train_Model as Record<string, unknown>).inputs = { prepped: '${{steps.Nope.outputs.x}}' };
    const e = await rejection(call('sdk/submit', { spec: bad, name: 'pipeline', experiment: 'training' }));
    expect(e.code).toBe('invalid_spec');
    expect(e.details).toEqual([expect.stringMatching(/^step 'Train Model' \(Train_Model\): input 'prepped' refers to unknown step 'Nope'$/)]);
    const v = await call('sdk/validate', { spec: bad });
    expect(v.errors).toEqual(e.details);
    (bad.steps.Train_Model as Record<string, unknown>).inputs = { prepped: '${{steps.Prepare_Data.outputs.prepped}}' };
    const missing = await rejection(call('sdk/submit', { spec: bad, name: 'pipeline', experiment: 'training' }));
    expect(missing.details).toEqual([`step 'Train Model' (Train_Model): script ${join(project, 'scripts', 'missing.py')} does not exist`]);
    expect(await call('sdk/validate', { spec: spec() })).toEqual({ errors: [] });
    expect(ws.store.runs.list({ limit: 500 }).length).toBe(before);
  });

  it('dataPaths: aliases name the real datastore; a path may not leave it; a datastore the parameter is not read from is refused', async () => {
    const withPath = spec({ parameters: { rate: { type: 'number', default: 0.5 }, raw: { type: 'path', default: 'raw' } } });
    (withPath.steps.Prepare_Data as Record<string, unknown>).inputs = { raw: { datastore: 'default', path: '${{parameters.raw}}' } };
    mkdirSync(join(tw.dir, 'datastores', 'default', 'landing'), { recursive: true });
    const ok = await call('sdk/submit', { spec: withPath, name: 'pipeline', experiment: 'paths', dataPaths: { raw: { DataStoreName: 'workspaceblobstore', RelativePath: 'landing' } } });
    expect(ok.run.parameters).toMatchObject({ raw: 'landing' });
    expect((await rejection(call('sdk/submit', { spec: withPath, name: 'pipeline', experiment: 'paths', dataPaths: { raw: '../outside' } }))).code).toBe('invalid_parameter');
    expect((await rejection(call('sdk/submit', { spec: withPath, name: 'pipeline', experiment: 'paths', dataPaths: { raw: { DataStoreName: 'nope', RelativePath: 'x' } } }))).code).toBe('invalid_parameter');
    expect((await rejection(call('sdk/submit', { spec: withPath, name: 'pipeline', experiment: 'paths', dataPaths: { rate: 'x' } }))).code).toBe('invalid_parameter');
    await settled(ok.run.id);
  });

  it('is refused to a caller that is not on this machine (a token over HTTP)', async () => {
    const remote = coreCaller(ws, { kind: 'token', name: 'ci' });
    expect((await rejection(remote('sdk/submit', { spec: spec(), name: 'pipeline', experiment: 'x' }))).code).toBe('forbidden');
    expect((await rejection(remote('tokens/sdk', {}))).code).toBe('forbidden');
  });
});

describe('sdk/run-properties', () => {
  it('adds properties once: the same value again is fine, another one is a conflict', async () => {
    const [run] = ws.store.runs.list({ limit: 1 });
    expect(await call('sdk/run-properties', { id: run.id, add: { a: '1' } })).toEqual({ a: '1' });
    expect(await call('sdk/run-properties', { id: run.id, add: { a: '1', b: 'x' } })).toEqual({ a: '1', b: 'x' });
    const e = await rejection(call('sdk/run-properties', { id: run.id, add: { a: '2' } }));
    expect(e).toMatchObject({ code: 'conflict', message: "property 'a' is already '1'; properties cannot be changed" });
    expect((await call('sdk/run', { id: run.id })).properties).toEqual({ a: '1', b: 'x' });
    expect((await rejection(call('sdk/run', { id: 'zzzz-no-such-run' }))).code).toBe('not_found');
  });
});

it('the snapshot of a step without a source directory is a folder holding just its script', async () => {
  writeFileSync(join(project, 'solo.py'), 'print("solo")\n');
  const r = await call('sdk/submit', {
    spec: { name: 'solo', steps: { solo_py: { type: 'python', display_name: 'solo.py', script: join(project, 'solo.py') } } },
    name: 'solo', experiment: 'solo',
  });
  expect(readdirSync(join(tw.dir, 'snapshots', r.steps[0].codeHash))).toEqual(['solo.py']);
  expect((await settled(r.run.id)).status).toBe('Completed');
  expect(existsSync(join(project, 'outputs'))).toBe(false);
});
