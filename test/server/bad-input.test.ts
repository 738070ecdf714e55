// Bad values over HTTP are 400s that name the field, and nothing runs: Object.prototype names as
// parameters, NUL and lone surrogates in experiment names, values, tags and descriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandPipeline, serve, type Served } from './helpers.js';

let s: Served;
let submitPath: string;
const runCount = () => s.ws.store.runQueries.page({ limit: 1, offset: 0 }).total;
/** Every Object.prototype name but __proto__, which no JSON body gets through (the body parser refuses it). */
const NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => n !== '__proto__');

beforeAll(async () => {
  s = await serve();
  s.tw.write('pipelines/p.yml', commandPipeline('p', ['echo', '${{parameters.rate}}'], 'parameters:\n  rate: { type: number, default: 1 }\n'));
  submitPath = `/pipelines/v1.0/PipelineRuns/PipelineSubmit/${(await s.api('POST', '/api/v1/published-pipelines', { file: 'p.yml', name: 'p' })).id}`;
});
afterAll(() => s.stop());

describe('Object.prototype names as parameter names', () => {
  it.each(NAMES)('%s: 400 unknown_parameter from /api/v1/runs, PipelineSubmit and published/submit', async (n) => {
    const before = runCount();
    const answers = [
      await s.http('POST', '/api/v1/runs', { body: { file: 'p.yml', parameters: { [n]: '1' } } }),
      await s.http('POST', submitPath, { body: { ExperimentName: 'e', ParameterAssignments: { [n]: '1' } } }),
      await s.http('POST', submitPath, { body: { ExperimentName: 'e', DataPathAssignments: { [n]: 'x' } } }),
    ];
    for (const r of answers) {
      expect(r.status, r.text).toBe(400);
      expect(r.json.error.code).toBe('unknown_parameter');
      expect(r.json.error.message).toContain(`unknown parameter '${n}'`);
    }
    expect(runCount()).toBe(before);
  });

  it('keeps tags named like Object.prototype members', async () => {
    const tags = Object.fromEntries(NAMES.map((n) => [n, `tag ${n}`]));
    const sub = await s.api('POST', submitPath, { ExperimentName: 'tags', Tags: tags });
    await s.waitFor(sub.Id);
    expect(s.ws.store.runs.get(sub.Id).tags).toEqual(tags);
  });
});

describe('NUL, lone surrogates and over-long values', () => {
  it('refuses them in the PipelineSubmit body with 400 naming the field, and runs nothing', async () => {
    const before = runCount();
    const cases: [unknown, string][] = [
      [{ ExperimentName: 'a\u0000b' }, 'ExperimentName: contains a NUL character'],
      [{ ExperimentName: '\ud800' }, 'ExperimentName: contains a lone surrogate'],
      [{ ExperimentName: 'e', ParameterAssignments: { rate: 'x\u0000' } }, 'ParameterAssignments.rate: contains a NUL character'],
      [{ ExperimentName: 'e', Tags: { k: '\udfff' } }, 'Tags.k: contains a lone surrogate'],
      [{ ExperimentName: 'e', Description: 'd\u0000' }, 'Description: contains a NUL character'],
      [{ ExperimentName: 'x'.repeat(257) }, 'ExperimentName: is too long: at most 256 characters'],
    ];
    for (const [body, message] of cases) {
      // JSON.stringify writes a lone surrogate as the \ud800 escape, as a client would.
      const r = await s.http('POST', submitPath, { body });
      expect(r.status, r.text).toBe(400);
      expect(r.json.error.details.join('\n')).toContain(message);
    }
    expect(runCount()).toBe(before);
  });

  it('refuses them in /api/v1/runs and published/submit', async () => {
    const before = runCount();
    const runs = await s.http('POST', '/api/v1/runs', { body: { file: 'p.yml', experiment: 'a\u0000b' } });
    expect(runs.status).toBe(400);
    expect(runs.json.error.details).toEqual(['experiment: contains a NUL character (\\u0000) at position 1']);
    const id = submitPath.split('/').pop();
    const pub = await s.http('POST', `/api/v1/published-pipelines/${id}/submit`, { body: { experiment: 'e', tags: { 'a\u0000': 'v' } } });
    expect(pub.status).toBe(400);
    expect(pub.json.error.details).toEqual(['tags.a\\u0000: a name contains a NUL character (\\u0000) at position 1']);
    expect(runCount()).toBe(before);
  });
});
