// MLflow-style search in the store (main/store/run-filter-sql.ts): parameters, metrics (last value on
// the run or a step), tags and attributes, values bound (never in the SQL), and sorting by a metric
// or a parameter with runs that lack it last.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { Store } from '../../main/store/store.js';

let dir: string;
let store: Store;
let t = 1_700_000_000_000;

function run(id: string, o: { params?: Record<string, unknown>; tags?: Record<string, string | null>; status?: string; metrics?: Record<string, number[]>; stepMetrics?: Record<string, number[]>; experiment?: string; trigger?: Record<string, unknown>; name?: string }) {
  store.runs.createPipelineRun({
    id, experiment: o.experiment ?? 'exp', pipelineName: 'train', pipelineFile: null, parameters: (o.params ?? {}) as never, definition: {},
    trigger: (o.trigger ?? { kind: 'cli' }) as never, tags: o.tags, owner: null,
    steps: [{ id: `${id}-s`, name: 'step', displayName: 'step', seq: 0, definition: {} }],
  });
  store.rawConnection().prepare('UPDATE runs SET created_at = ?, started_at = ?, ended_at = ?, status = ?, run_name = ? WHERE id = ?').run(t, t, t + 1000, o.status ?? 'Completed', o.name ?? null, id);
  t += 60_000;
  const log = (runId: string, m: Record<string, number[]>) => {
    for (const [name, values] of Object.entries(m)) for (const v of values) store.rawConnection().prepare(`INSERT INTO metrics (run_id, name, kind, value, ts) VALUES (?, ?, 'scalar', ?, 0)`).run(runId, name, v);
  };
  log(id, o.metrics ?? {});
  log(`${id}-s`, o.stepMetrics ?? {});
}

const ids = (filter: string, sort?: string, order: 'asc' | 'desc' = 'desc') =>
  store.runQueries.page({ filter, limit: 50, offset: 0, sort: sort as never, order }).items.map((r) => r.id);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-search-'));
  store = Store.open(join(dir, 'millrace.db'));
  run('a', { params: { reg_rate: 0.01, mode: 'fast', flag: true }, tags: { team: 'x' }, stepMetrics: { AUC: [0.9, 0.7] }, name: 'baseline' });
  run('b', { params: { reg_rate: 0.1, mode: 'slow', flag: false }, tags: { team: 'y', quick: null }, stepMetrics: { AUC: [0.5, 0.85] }, status: 'Failed' });
  run('c', { params: { reg_rate: 0.5, mode: 'Fast' }, tags: { team: 'x' }, metrics: { AUC: [0.95] }, experiment: 'other', trigger: { kind: 'rest', publishedPipelineId: 'p1', pipelineEndpoint: 'ep' } });
  run('d', { params: { reg_rate: '0.3' }, tags: {} });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('run search', () => {
  it("the issue's example: parameters, the last metric value of the run or its steps, and tags", () => {
    expect(ids("params.reg_rate > 0.05 and metrics.AUC >= 0.8 and tags.team = 'x'")).toEqual(['c']);
    expect(ids('metrics.AUC >= 0.8')).toEqual(['c', 'b']);
    expect(ids('metrics.AUC < 0.8')).toEqual(['a']);
    expect(ids('metrics.AUC is null')).toEqual(['d']);
  });

  it('numbers compare with numeric parameters, quoted text with their text', () => {
    expect(ids('params.reg_rate >= 0.1')).toEqual(['c', 'b']);
    expect(ids("params.reg_rate = '0.3'")).toEqual(['d']);
    expect(ids("params.reg_rate = '0.1'")).toEqual(['b']);
    expect(ids('params.flag = true')).toEqual(['a']);
    expect(ids('params.flag != true')).toEqual(['b']);
    expect(ids("params.mode like 'f%'")).toEqual(['a']);
    expect(ids("params.mode ilike 'f%'")).toEqual(['c', 'a']);
    expect(ids("params.mode in ('slow', 'Fast')")).toEqual(['c', 'b']);
    expect(ids("params.mode not in ('slow', 'Fast')")).toEqual(['a']);
    expect(ids('params.mode is null')).toEqual(['d']);
  });

  it('tags: a value, a tag without one, a missing tag', () => {
    expect(ids("tags.team != 'x'")).toEqual(['b']);
    expect(ids('tags.quick is not null')).toEqual(['b']);
    expect(ids('tags.team is null')).toEqual(['d']);
  });

  it('attributes: status, name, experiment, trigger, endpoint, created, duration', () => {
    expect(ids("status = 'Failed'")).toEqual(['b']);
    expect(ids("attributes.run_name = 'baseline'")).toEqual(['a']);
    expect(ids('name is null')).toEqual(['d', 'c', 'b']);
    expect(ids("experiment = 'other'")).toEqual(['c']);
    expect(ids("trigger = 'rest' and endpoint = 'ep' and published = 'p1'")).toEqual(['c']);
    expect(ids(`created > ${1_700_000_000_000 + 90_000}`)).toEqual(['d', 'c']);
    expect(ids(`created >= '${new Date(1_700_000_000_000 + 120_000).toISOString()}'`)).toEqual(['d', 'c']);
    expect(ids('duration = 1000')).toEqual(['d', 'c', 'b', 'a']);
    expect(ids("id in ('a', 'c')")).toEqual(['c', 'a']);
  });

  it('binds every value: quotes and SQL in names and values are just text', () => {
    expect(ids("tags.`x'); DROP TABLE runs; --` = 'a'")).toEqual([]);
    expect(ids("params.mode = 'x'' OR 1=1 --'")).toEqual([]);
    expect(store.runQueries.page({ limit: 1, offset: 0 }).total).toBe(4);
  });

  it('a bad expression is a UserError (400) naming the column; the total counts matches', () => {
    expect(() => ids('metrics.AUC >> 1')).toThrow(UserError);
    expect(store.runQueries.page({ filter: 'metrics.AUC >= 0.8', limit: 1, offset: 0 }).total).toBe(2);
  });

  it('sorts by a metric or a parameter, runs without one last in both directions', () => {
    expect(ids('', 'metrics.AUC', 'desc')).toEqual(['c', 'b', 'a', 'd']);
    expect(ids('', 'metrics.AUC', 'asc')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids('', 'params.mode', 'asc')).toEqual(['c', 'a', 'b', 'd']);
  });
});
