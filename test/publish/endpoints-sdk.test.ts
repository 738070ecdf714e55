// What the azureml package adds to publishing (docs/bridge.md): endpoints created from a published
// pipeline, versions added, enabled and disabled (a disabled one answers 403); the default of
// continue_on_step_failure given at publish and overridden per submit; runs by published pipeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishPipeline } from '../../main/publish/publish.js';
import { serve, type Served } from '../server/helpers.js';

const PIPELINE = `name: two
steps:
  fails:
    type: command
    command: [sh, -c, "exit 3"]
    allow_reuse: false
  independent:
    type: command
    command: ["true"]
    allow_reuse: false
`;

let s: Served;
let v1: { id: string };
let v2: { id: string };

beforeAll(async () => {
  // One slot: `independent` waits for `fails`, so whether it starts shows continue_on_step_failure.
  s = await serve({ config: 'compute:\n  local: { type: local, max_concurrency: 1 }\nexecutor: { kill_grace_ms: 300 }\n' });
  const file = s.tw.write('pipelines/two.yml', PIPELINE);
  v1 = publishPipeline(s.ws, file, { name: 'two', version: '1', continueOnStepFailure: true });
  v2 = publishPipeline(s.ws, file, { name: 'two', version: '2' });
});
afterAll(() => s.stop());

describe('pipeline endpoints', () => {
  it('create, add a version (as default or not), disable (403 on submit), enable; set-default by id', async () => {
    const ep = await s.api('POST', '/api/v1/pipeline-endpoints', { name: 'scoring', description: 'batch', publishedPipelineId: v1.id });
    expect(ep).toMatchObject({ name: 'scoring', defaultVersion: '1', status: 'Active', versions: [{ version: '1' }] });
    expect((await s.http('POST', '/api/v1/pipeline-endpoints', { body: { name: 'scoring', publishedPipelineId: v2.id } })).json.error.code).toBe('already_exists');
    const added = await s.api('POST', '/api/v1/pipeline-endpoints/scoring/versions', { publishedPipelineId: v2.id, setDefault: false });
    expect(added).toMatchObject({ defaultVersion: '1', versions: [{ version: '1' }, { version: '2' }] });
    expect((await s.api('POST', `/api/v1/pipeline-endpoints/${ep.id}/default`, { version: '2' })).defaultVersion).toBe('2');
    const disabled = await s.api('POST', `/api/v1/pipeline-endpoints/${ep.id}/disable`);
    expect(disabled.status).toBe('Disabled');
    const refused = await s.http('POST', `/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Id/${ep.id}`, { body: { ExperimentName: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('disabled');
    expect((await s.api('POST', '/api/v1/pipeline-endpoints/scoring/enable')).status).toBe('Active');
    const ok = await s.http('POST', `/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Id/${ep.id}`, { body: { ExperimentName: 'x' } });
    expect(ok.status).toBe(200);
    await s.waitFor(ok.json.Id);
  });

  it('continue_on_step_failure: the published default, overridden by a submit; runs listed by published pipeline', async () => {
    expect(await s.api('GET', `/api/v1/published-pipelines/${v1.id}`)).toMatchObject({ continueOnStepFailure: true, stepNames: ['fails', 'independent'] });
    const keepGoing = await s.api('POST', `/api/v1/published-pipelines/${v1.id}/submit`, { experiment: 'cosf' });
    const stop = await s.api('POST', `/api/v1/published-pipelines/${v1.id}/submit`, { experiment: 'cosf', continueOnStepFailure: false });
    const a = await s.waitFor(keepGoing.Id);
    const b = await s.waitFor(stop.Id);
    expect(a.status).toBe('Failed');
    expect(b.status).toBe('Failed');
    // With the default (true) the independent step still ran; without it, it never started.
    const independent = (r: { steps: { name: string; status: string }[] }) => r.steps.find((x) => x.name === 'independent')!.status;
    expect(independent(a)).toBe('Completed');
    expect(independent(b)).not.toBe('Completed');
    const listed = await s.api('GET', `/api/v1/runs?publishedPipeline=${v1.id}`);
    expect(listed.items.map((r: { id: string }) => r.id).sort()).toEqual([keepGoing.Id, stop.Id].sort());
    // v2 ran once, submitted through the endpoint (its default then).
    expect((await s.api('GET', `/api/v1/runs?publishedPipeline=${v2.id}`)).items.map((r: { trigger: unknown }) => r.trigger)).toEqual([
      { kind: 'rest', token: 'tester', publishedPipelineId: v2.id, pipelineEndpoint: 'scoring' }]);
  });
});
