// Publishing: immutable snapshots, versions, endpoints with a default, disabled pipelines, and the
// Azure-compatible submit with its parameter and data path assignments.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/workspace.js';
import { serve, type Served } from '../server/helpers.js';

const PIPELINE = `name: params
description: prints what it was given
parameters:
  rate: { type: number, default: 0.01, min: 0 }
  epochs: { type: integer, default: 2, min: 1 }
  flag: { type: boolean, default: false }
  mode: { type: string, default: a, enum: [a, b] }
  raw_path: { type: path, default: raw }
defaults:
  source_directory: code
steps:
  show:
    type: python
    script: show.py
    inputs:
      raw: { datastore: default, path: "\${{parameters.raw_path}}" }
    arguments: [--rate, "\${{parameters.rate}}", --raw, "\${{inputs.raw}}", --flag, "\${{parameters.flag}}"]
    allow_reuse: false
`;
const SCRIPT = (marker: string) => `import sys\nprint("${marker}", " ".join(sys.argv[1:]))\n`;

let s: Served;
const azure = (kind: string, id: string, q = '') => `/pipelines/v1.0/PipelineRuns/${kind}/${id}${q}`;
const runCount = () => s.ws.store.runQueries.page({ limit: 1, offset: 0 }).total;
const log = async (runId: string) => (await s.api('GET', `/api/v1/runs/${runId}/logs/show`)).text as string;

beforeAll(async () => {
  s = await serve();
  mkdirSync(join(s.tw.dir, 'pipelines', 'code'), { recursive: true });
  s.tw.write('pipelines/params.yml', PIPELINE);
  s.tw.write('pipelines/code/show.py', SCRIPT('v1'));
  mkdirSync(join(s.tw.dir, 'datastores', 'default', 'other'), { recursive: true });
});
afterAll(() => s.stop());

describe('publish', () => {
  it('snapshots the definition and the source directory: later edits do not change the published version', async () => {
    const r = cli(['publish', 'pipelines/params.yml', '--name', 'snap', '--version', '1.0', '--json', '-w', s.tw.dir]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['endpoint', 'id', 'name', 'version']);
    expect(out).toMatchObject({ name: 'snap', version: '1.0' });
    expect(out.endpoint).toBe(`http://127.0.0.1:8765/pipelines/v1.0/PipelineRuns/PipelineSubmit/${out.id}`);

    s.tw.write('pipelines/code/show.py', SCRIPT('v2-edited'));
    s.tw.write('pipelines/params.yml', PIPELINE.replace('rate: { type: number, default: 0.01, min: 0 }', 'rate: { type: string, default: x }'));
    try {
      const sub = await s.api('POST', azure('PipelineSubmit', out.id), { ExperimentName: 'snap-exp' });
      const run = await s.waitFor(sub.Id);
      expect(run.status).toBe('Completed');
      expect(await log(sub.Id)).toContain('v1 --rate 0.01');
      expect(run.parameters.rate).toBe(0.01);
      // The server's listing shows the URL it answers on.
      const listed = await s.api('GET', `/api/v1/published-pipelines/${out.id}`);
      expect(listed.endpoint).toBe(`${s.server.url}/pipelines/v1.0/PipelineRuns/PipelineSubmit/${out.id}`);
      expect(listed.parameters.rate).toEqual({ type: 'number', default: 0.01, min: 0 });
    } finally {
      s.tw.write('pipelines/code/show.py', SCRIPT('v1'));
      s.tw.write('pipelines/params.yml', PIPELINE);
    }
  });

  it('never overwrites a version, numbers versions when none is given, and refuses invalid pipelines', async () => {
    expect(cli(['publish', 'pipelines/params.yml', '--name', 'snap', '--version', '1.0', '-w', s.tw.dir]).status).toBe(2);
    const a = JSON.parse(cli(['publish', 'pipelines/params.yml', '--name', 'auto', '--json', '-w', s.tw.dir]).stdout);
    const b = JSON.parse(cli(['publish', 'pipelines/params.yml', '--name', 'auto', '--json', '-w', s.tw.dir]).stdout);
    expect([a.version, b.version]).toEqual(['1', '2']);
    s.tw.write('pipelines/broken.yml', 'name: broken\nsteps:\n  a:\n    type: python\n');
    const bad = cli(['publish', 'pipelines/broken.yml', '--name', 'broken', '-w', s.tw.dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/broken\.yml:4:\d+/);
    expect(cli(['publish', 'pipelines/params.yml', '--name', 'bad name!', '-w', s.tw.dir]).status).toBe(2);
    expect(s.ws.store.published.list({ name: 'broken' })).toEqual([]);
  });

  it('publishes over the API too, and lists, disables and enables from the CLI', async () => {
    const p = await s.api('POST', '/api/v1/published-pipelines', { file: 'params.yml', name: 'api-pub', version: '3' });
    expect(p.status).toBe('Active');
    expect(cli(['published', 'disable', p.id, '-w', s.tw.dir]).status).toBe(0);
    const listed = JSON.parse(cli(['published', 'list', '--name', 'api-pub', '--json', '-w', s.tw.dir]).stdout);
    expect(listed.map((x: { status: string }) => x.status)).toEqual(['Disabled']);
    expect(cli(['published', 'enable', p.id, '-w', s.tw.dir]).status).toBe(0);
    expect(s.ws.store.published.get(p.id).enabled).toBe(true);
    expect(cli(['published', 'disable', 'no-such-id', '-w', s.tw.dir]).status).toBe(2);
  });

  it('refuses a source_directory that is the file system root or holds the workspace, and copies nothing', async () => {
    for (const dir of ['/', '../..']) {
      s.tw.write('pipelines/wide.yml', PIPELINE.replace('source_directory: code', `source_directory: ${dir}`));
      const r = await s.http('POST', '/api/v1/published-pipelines', { body: { file: 'wide.yml', name: 'wide' } });
      expect(r.status, r.text).toBe(400);
      expect(r.json.error.message).toMatch(/^step 'show': source_directory \/\S* (is the file system root|contains the workspace)/);
    }
    expect(s.ws.store.published.list({ name: 'wide' })).toEqual([]);
  });
});

describe('pipeline endpoints', () => {
  let v1: string;
  let v2: string;
  let endpointId: string;

  beforeAll(() => {
    v1 = JSON.parse(cli(['publish', 'pipelines/params.yml', '--name', 'training_pipeline', '--version', '1.0', '--endpoint', 'training', '--json', '-w', s.tw.dir]).stdout).id;
    s.tw.write('pipelines/code/show.py', SCRIPT('second'));
    v2 = JSON.parse(cli(['publish', 'pipelines/params.yml', '--name', 'training_pipeline', '--version', '2.0', '--endpoint', 'training', '--json', '-w', s.tw.dir]).stdout).id;
    s.tw.write('pipelines/code/show.py', SCRIPT('v1'));
    endpointId = s.ws.store.published.endpoint('training').id;
  });

  it('runs the newest published version by default, or ?pipelineVersion=', async () => {
    const ep = await s.api('GET', '/api/v1/pipeline-endpoints/training');
    expect(ep.defaultVersion).toBe('2.0');
    expect(ep.versions.map((v: { version: string }) => v.version)).toEqual(['1.0', '2.0']);
    expect(ep.endpoint).toBe(`${s.server.url}/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Name/training`);

    const byDefault = await s.api('POST', azure('PipelineEndpointSubmit/Name', 'training'), { ExperimentName: 'ep' });
    expect(byDefault.PipelineId).toBe(v2);
    expect(byDefault.PipelineEndpointId).toBe(endpointId);
    const pinned = await s.api('POST', azure('PipelineEndpointSubmit/Name', 'training', '?pipelineVersion=1.0'), { ExperimentName: 'ep' });
    expect(pinned.PipelineId).toBe(v1);
    const byId = await s.api('POST', azure('PipelineEndpointSubmit/Id', endpointId, '?pipelineVersion=2.0'), { ExperimentName: 'ep' });
    expect(byId.PipelineId).toBe(v2);
    expect(await log((await s.waitFor(byDefault.Id)).id)).toContain('second');
    expect(await log((await s.waitFor(pinned.Id)).id)).toContain('v1');
    const run = await s.waitFor(byId.Id);
    expect(run.trigger).toEqual({ kind: 'rest', token: 'tester', publishedPipelineId: v2, pipelineEndpoint: 'training' });

    const missing = await s.http('POST', azure('PipelineEndpointSubmit/Name', 'training', '?pipelineVersion=9'), { body: { ExperimentName: 'ep' } });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toMatch(/versions: 1\.0, 2\.0/);
  });

  it('changes the default (API and CLI)', async () => {
    const ep = await s.api('POST', '/api/v1/pipeline-endpoints/training/default', { version: '1.0' });
    expect(ep.defaultVersion).toBe('1.0');
    const sub = await s.api('POST', azure('PipelineEndpointSubmit/Name', 'training'), { ExperimentName: 'ep' });
    expect(sub.PipelineId).toBe(v1);
    expect(cli(['endpoint', 'set-default', 'training', '2.0', '-w', s.tw.dir]).status).toBe(0);
    expect((await s.api('GET', `/api/v1/pipeline-endpoints/${endpointId}`)).defaultVersion).toBe('2.0');
    expect((await s.http('POST', '/api/v1/pipeline-endpoints/training/default', { body: { version: '7' } })).status).toBe(404);
    await s.waitFor(sub.Id);
  });

  it('answers 403 for a disabled published pipeline, directly or as an endpoint default, and runs nothing', async () => {
    await s.api('POST', `/api/v1/published-pipelines/${v2}/disable`);
    const before = runCount();
    const direct = await s.http('POST', azure('PipelineSubmit', v2), { body: { ExperimentName: 'off' } });
    expect(direct.status).toBe(403);
    expect(direct.json.error.code).toBe('disabled');
    expect((await s.http('POST', azure('PipelineEndpointSubmit/Name', 'training'), { body: { ExperimentName: 'off' } })).status).toBe(403);
    expect(runCount()).toBe(before);
    // Other versions of the endpoint still run.
    const other = await s.http('POST', azure('PipelineEndpointSubmit/Name', 'training', '?pipelineVersion=1.0'), { body: { ExperimentName: 'off' } });
    expect(other.status).toBe(200);
    await s.api('POST', `/api/v1/published-pipelines/${v2}/enable`);
    const again = await s.http('POST', azure('PipelineSubmit', v2), { body: { ExperimentName: 'on' } });
    expect(again.status).toBe(200);
    await s.waitFor(other.json.Id);
    await s.waitFor(again.json.Id);
  });
});

describe('Azure submit body', () => {
  let id: string;
  beforeAll(async () => {
    id = (await s.api('POST', '/api/v1/published-pipelines', { file: 'params.yml', name: 'body' })).id;
  });

  it('takes parameter values as JSON numbers, booleans or strings (as Azure sends them)', async () => {
    const a = await s.api('POST', azure('PipelineSubmit', id), { ExperimentName: 'types', ParameterAssignments: { rate: '0.5', epochs: '3', flag: 'true', mode: 'b' } });
    expect(a.ParameterAssignments).toEqual({ rate: 0.5, epochs: 3, flag: true, mode: 'b', raw_path: 'raw' });
    const b = await s.api('POST', azure('PipelineSubmit', id), { ExperimentName: 'types', ParameterAssignments: { rate: 0.25, epochs: 4, flag: false }, Tags: { team: 'ml' }, Description: 'typed' });
    expect(b).toMatchObject({ Status: 'NotStarted', ExperimentName: 'types', Description: 'typed', Tags: { team: 'ml' } });
    const rb = await s.waitFor(b.Id);
    expect(rb).toMatchObject({ status: 'Completed', parameters: { rate: 0.25, epochs: 4, flag: false }, description: 'typed', tags: { team: 'ml' } });
    expect(await log(b.Id)).toContain('--rate 0.25');
    await s.waitFor(a.Id);
  });

  it('sets path parameters from DataPathAssignments, in Azure shape or as a plain string', async () => {
    const azureShape = await s.api('POST', azure('PipelineSubmit', id), {
      ExperimentName: 'paths', DataPathAssignments: { raw_path: { DataStoreName: 'default', RelativePath: 'other' } },
    });
    const plain = await s.api('POST', azure('PipelineSubmit', id), { ExperimentName: 'paths', DataPathAssignments: { raw_path: 'raw' } });
    expect((await s.waitFor(azureShape.Id)).parameters.raw_path).toBe('other');
    expect(await log(azureShape.Id)).toContain(join(s.tw.dir, 'datastores', 'default', 'other'));
    expect((await s.waitFor(plain.Id)).parameters.raw_path).toBe('raw');
  });

  it('answers bad submits with 4xx {error: {code, message}} and never creates a run', async () => {
    const before = runCount();
    const cases: [string, unknown, number, string][] = [
      [azure('PipelineSubmit', '00000000-0000-0000-0000-000000000000'), { ExperimentName: 'x' }, 404, 'not_found'],
      [azure('PipelineEndpointSubmit/Name', 'nope'), { ExperimentName: 'x' }, 404, 'not_found'],
      [azure('PipelineEndpointSubmit/Id', 'nope'), { ExperimentName: 'x' }, 404, 'not_found'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { nope: 1 } }, 400, 'unknown_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { rate: 'fast' } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { rate: -1 } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { epochs: 1.5 } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { flag: 'maybe' } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { mode: 'c' } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { rate: null } }, 400, 'invalid_input'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { rate: { v: 1 } } }, 400, 'invalid_input'],
      [azure('PipelineSubmit', id), { ParameterAssignments: {} }, 400, 'invalid_input'],
      [azure('PipelineSubmit', id), { ExperimentName: '  ' }, 400, 'invalid_input'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', DataPathAssignments: { raw_path: { DataStoreName: 'nope', RelativePath: 'raw' } } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', DataPathAssignments: { rate: 'raw' } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', DataPathAssignments: { nope: 'raw' } }, 400, 'unknown_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', DataPathAssignments: { raw_path: '../../etc' } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', DataPathAssignments: { raw_path: '/etc' } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', ParameterAssignments: { raw_path: 'raw' }, DataPathAssignments: { raw_path: 'raw' } }, 400, 'invalid_parameter'],
      [azure('PipelineSubmit', id), { ExperimentName: 'x', DataSetDefinitionValueAssignments: { d: {} } }, 400, 'invalid_input'],
      [azure('PipelineEndpointSubmit/Name', 'training', '?pipelineVersion='), { ExperimentName: 'x' }, 400, 'invalid_input'],
    ];
    for (const [path, body, status, code] of cases) {
      const r = await s.http('POST', path, { body });
      expect(r.status, `${path} ${JSON.stringify(body)}: ${r.text}`).toBe(status);
      expect(r.json.error.code, JSON.stringify(body)).toBe(code);
      expect(r.json.error.message).toEqual(expect.any(String));
    }
    expect(runCount()).toBe(before);
    expect(s.ws.store.runs.unfinishedPipelineRuns().length).toBe(0);
  });

  it('accepts a data path that does not exist yet (AZUREML.md 10.4f): the step gets its absolute path, nothing is created', async () => {
    const r = await s.http('POST', azure('PipelineSubmit', id), { body: { ExperimentName: 'x', DataPathAssignments: { raw_path: 'not/yet/here' } } });
    expect(r.status, r.text).toBe(200);
    const run = await s.waitFor(r.json.Id);
    expect(run.status).toBe('Completed');
    expect(await log(r.json.Id)).toContain(`--raw ${join(s.tw.dir, 'datastores', 'default', 'not', 'yet', 'here')}`);
    expect(existsSync(join(s.tw.dir, 'datastores', 'default', 'not'))).toBe(false);
  });
});

describe('a published snapshot on disk', () => {
  it('lives under published/<id>/ with the code, not other files of the folder', () => {
    const p = s.ws.store.published.list({ name: 'snap' })[0];
    expect(p.snapshotFile).toBe(`published/${p.id}/params.yml`);
    expect(readFileSync(join(s.tw.dir, p.snapshotFile), 'utf8')).toBe(PIPELINE);
    expect(readFileSync(join(s.tw.dir, 'published', p.id, 'code', 'show.py'), 'utf8')).toBe(SCRIPT('v1'));
    expect(existsSync(join(s.tw.dir, 'published', p.id, 'sample.yml'))).toBe(false);
  });

  it('honours .millraceignore, and copies the files a step without source directory names', async () => {
    s.tw.write('pipelines/code/.millraceignore', 'big.bin\n');
    s.tw.write('pipelines/code/big.bin', 'x'.repeat(1000));
    s.tw.write('pipelines/report.py', 'print("report ran")\n');
    s.tw.write('pipelines/report.yml', 'name: report\nsteps:\n  r:\n    type: command\n    command: [python3, report.py, --quiet]\n    allow_reuse: false\n');
    const a = await s.api('POST', '/api/v1/published-pipelines', { file: 'params.yml', name: 'ignore' });
    const snapA = s.ws.store.published.get(a.id);
    expect(existsSync(join(s.tw.dir, 'published', a.id, 'code', 'show.py'))).toBe(true);
    expect(existsSync(join(s.tw.dir, 'published', a.id, 'code', 'big.bin'))).toBe(false);
    expect(snapA.snapshotFile).toBe(`published/${a.id}/params.yml`);
    const b = await s.api('POST', '/api/v1/published-pipelines', { file: 'pipelines/report.yml', name: 'report' });
    expect(readdirSync(join(s.tw.dir, 'published', b.id)).sort()).toEqual(['report.py', 'report.yml']);
    s.tw.write('pipelines/report.py', 'raise SystemExit(5)\n');
    const sub = await s.api('POST', azure('PipelineSubmit', b.id), { ExperimentName: 'report' });
    expect((await s.waitFor(sub.Id)).status).toBe('Completed');
    expect(await (async () => (await s.api('GET', `/api/v1/runs/${sub.Id}/logs/r`)).text)()).toContain('report ran');
  });
});
