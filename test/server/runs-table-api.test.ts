// What the runs table asks of runs/list and runs/update over HTTP: MLflow-style filters (a bad one is
// 400 invalid_query naming the column), sorting by a metric or a parameter, and a run's name,
// description and tags edited in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from './helpers.js';

let s: Served;
const ids: string[] = [];
const PIPE = `name: p
parameters:
  rate: { type: number, default: 0.1 }
steps:
  a:
    type: command
    command: [python3, -c, "print(1)"]
    allow_reuse: false
`;

beforeAll(async () => {
  s = await serve();
  s.tw.write('pipelines/p.yml', PIPE);
  for (const rate of [0.1, 0.5, 0.9]) {
    const r = await s.api('POST', '/api/v1/runs', { file: 'p.yml', experiment: 'tbl', parameters: { rate }, tags: { team: rate > 0.3 ? 'x' : 'y' } });
    ids.push(r.id);
    await s.waitFor(r.id);
    s.ws.store.rawConnection().prepare(`INSERT INTO metrics (run_id, name, kind, value, ts) VALUES (?, 'acc', 'scalar', ?, 0)`).run(r.steps[0].id, 1 - rate);
  }
});
afterAll(() => s.stop());

const list = (q: string) => s.api('GET', `/api/v1/runs?${q}`);

describe('runs/list filter and sort', () => {
  it('filters with an expression and sorts by a metric or a parameter', async () => {
    const page = await list(`filter=${encodeURIComponent("params.rate > 0.3 and tags.team = 'x'")}&sort=metrics.acc&order=asc&metrics=acc`);
    expect(page.items.map((r: any) => r.id)).toEqual([ids[2], ids[1]]);
    expect(page.total).toBe(2);
    expect(page.items[0].metrics.acc).toBeCloseTo(0.1);
    const byParam = await list('sort=params.rate&order=desc');
    expect(byParam.items.map((r: any) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('can leave the count to runs/count (counting a filter over many runs is the slow part)', async () => {
    const f = encodeURIComponent('params.rate > 0.3');
    const page = await list(`filter=${f}&count=false`);
    expect(page.total).toBeNull();
    expect(page.items).toHaveLength(2);
    expect(await s.api('GET', `/api/v1/runs/count?filter=${f}`)).toEqual({ total: 2 });
    expect(await s.api('GET', '/api/v1/runs/count?experiment=tbl')).toEqual({ total: 3 });
    expect((await s.http('GET', `/api/v1/runs/count?limit=3`)).status).toBe(400);
  });

  it('a bad expression is 400 invalid_query with the column and a caret', async () => {
    const r = await s.http('GET', `/api/v1/runs?filter=${encodeURIComponent('params.rate >> 1')}`);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_query');
    expect(r.json.error.message).toMatch(/^invalid search at column 14:/);
    expect(r.json.error.details).toEqual(['params.rate >> 1', '             ^']);
    expect((await s.http('GET', '/api/v1/runs?sort=colour')).status).toBe(400);
  });
});

describe('runs/update', () => {
  it("sets and removes a run's name, description and tags; a name can be searched", async () => {
    const r = await s.api('POST', `/api/v1/runs/${ids[0]}/update`, { name: 'baseline', description: 'first try', tags: { owner: 'me', quick: null }, removeTags: ['team'] });
    expect(r).toMatchObject({ name: 'baseline', description: 'first try', tags: { owner: 'me', quick: null } });
    expect(r.tags).not.toHaveProperty('team');
    expect((await list(`filter=${encodeURIComponent("name = 'baseline'")}`)).items.map((x: any) => x.id)).toEqual([ids[0]]);
    expect((await list('search=basel')).items.map((x: any) => x.id)).toEqual([ids[0]]);
    const cleared = await s.api('POST', `/api/v1/runs/${ids[0]}/update`, { name: null, description: '' });
    expect(cleared).toMatchObject({ name: null, description: null, tags: { owner: 'me', quick: null } });
  });

  it('refuses a step run, an unknown run and bad input', async () => {
    const step = (await s.api('GET', `/api/v1/runs/${ids[1]}`)).steps[0].id;
    expect((await s.http('POST', `/api/v1/runs/${step}/update`, { body: { name: 'x' } })).status).toBe(404);
    expect((await s.http('POST', '/api/v1/runs/nope/update', { body: { name: 'x' } })).status).toBe(404);
    expect((await s.http('POST', `/api/v1/runs/${ids[1]}/update`, { body: { name: 'x'.repeat(300) } })).status).toBe(400);
  });
});
