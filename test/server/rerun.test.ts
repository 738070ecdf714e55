// Bug 1 of issue 14: "Rerun" of a run of a published pipeline (REST, schedule, data change) posted
// its snapshot file to runs/submit (404: not under pipelines/), and its graph had no edges. A run
// record now says which published pipeline and endpoint it came from; runs/rerun resubmits that
// same snapshot (same endpoint and version) with changed parameters; runs/pipeline gives the graph
// of what the run ran.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from './helpers.js';

let s: Served;
const PIPELINE = `name: two
parameters:
  n: { type: integer, default: 1 }
steps:
  first:
    type: command
    command: [python3, -c, "print('first')"]
    allow_reuse: false
  second:
    type: command
    command: [python3, -c, "import sys; print('n=' + sys.argv[1])", "\${{parameters.n}}"]
    run_after: [first]
    allow_reuse: false
`;

beforeAll(async () => {
  s = await serve();
  s.tw.write('pipelines/two.yml', PIPELINE);
  await s.api('POST', '/api/v1/published-pipelines', { file: 'two.yml', name: 'two', version: '1.0', endpoint: 'two-ep' });
  await s.api('POST', '/api/v1/published-pipelines', { file: 'two.yml', name: 'two', version: '2.0', endpoint: 'two-ep' });
});
afterAll(() => s.stop());

describe('rerun of a published run', () => {
  it('records where a REST run came from and reruns that snapshot through the same endpoint and version', async () => {
    const sub = await s.api('POST', '/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Name/two-ep?pipelineVersion=1.0', { ExperimentName: 'rest-exp', ParameterAssignments: { n: 3 } });
    const first = await s.waitFor(sub.Id);
    expect(first.status).toBe('Completed');
    const rec = await s.api('GET', `/api/v1/runs/${sub.Id}`);
    const v1 = (await s.api('GET', '/api/v1/published-pipelines?name=two')).find((p: any) => p.version === '1.0');
    expect(rec.published).toEqual({ id: v1.id, name: 'two', version: '1.0', endpoint: 'two-ep' });

    // The endpoint's default is 2.0 now: a rerun still runs the version the run ran.
    expect((await s.api('GET', '/api/v1/pipeline-endpoints/two-ep')).defaultVersion).toBe('2.0');
    const again = await s.api('POST', `/api/v1/runs/${sub.Id}/rerun`, { parameters: { n: 7 } });
    expect(again.id).not.toBe(sub.Id);
    expect(again.published).toEqual(rec.published);
    expect(again.parameters).toEqual({ n: 7 });
    expect(again.experiment).toBe('rest-exp');
    expect(again.trigger).toMatchObject({ kind: 'rest', rerunOf: sub.Id, publishedPipelineId: v1.id, pipelineEndpoint: 'two-ep' });
    const done = await s.waitFor(again.id);
    expect(done.status).toBe('Completed');

    // As is: the same parameters.
    const same = await s.api('POST', `/api/v1/runs/${sub.Id}/rerun`, {});
    expect(same.parameters).toEqual({ n: 3 });
    await s.waitFor(same.id);
  });

  it('gives the graph of what a published run ran (its snapshot is outside pipelines/)', async () => {
    const sub = await s.api('POST', '/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Name/two-ep', { ExperimentName: 'rest-exp' });
    const g = await s.api('GET', `/api/v1/runs/${sub.Id}/pipeline`);
    expect(g.dependsOn).toEqual({ first: [], second: ['first'] });
    expect(g.stepSpecs.second.run_after).toEqual(['first']);
    expect(g.parameters.n).toMatchObject({ type: 'integer' });
    // What it ran with (issue 14, bug 10: the overview showed raw \${{parameters.x}}).
    expect(g.invocations.second.command[0]).toBe('python3');
    expect(g.invocations.second.command.at(-1)).toBe('1');
    expect(g.invocations.second.parameters).toEqual({ n: 1 });
    await s.waitFor(sub.Id);
  });

  it('a file run reruns its pipeline file and records no published pipeline', async () => {
    const r = await s.api('POST', '/api/v1/runs', { file: 'two.yml', experiment: 'files' });
    expect(r.published).toBeNull();
    await s.waitFor(r.id);
    const again = await s.api('POST', `/api/v1/runs/${r.shortId}/rerun`, { parameters: { n: 2 } });
    expect(again).toMatchObject({ pipelineFile: r.pipelineFile, experiment: 'files', parameters: { n: 2 }, published: null });
    await s.waitFor(again.id);
  });

  it('refuses a bad parameter before anything runs', async () => {
    const r = await s.api('POST', '/api/v1/runs', { file: 'two.yml', experiment: 'bad' });
    await s.waitFor(r.id);
    const res = await s.http('POST', `/api/v1/runs/${r.id}/rerun`, { body: { parameters: { n: 'x' } } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_parameter');
  });
});
