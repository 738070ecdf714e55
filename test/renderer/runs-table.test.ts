import { describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/api/records.js';
import { RunsTable, searchArgs } from '../../renderer/src/runs/runs-table.svelte.js';
import { defaultQuery, queryFromUrl, urlFromQuery } from '../../renderer/src/runs/runs-url.js';
import { fakeClient } from './fake-client.js';

const run = (id: string, status: RunSummary['status'] = 'Completed', parameters: RunSummary['parameters'] = {}): RunSummary => ({
  id, shortId: id, name: null, experiment: 'e', pipeline: 'p', pipelineFile: 'p.yml', published: null, status, parameters, trigger: { kind: 'manual' }, description: null, tags: {},
  createdAt: '2026-01-01T00:00:00Z', startedAt: null, endedAt: null, durationMs: null, error: null, stepCounts: {},
});

function table(total = 120) {
  const client = fakeClient({
    'runs/list': (a) => ({ items: [run(`r${a.offset}`, 'Running', { rate: 0.1 }), run(`r${Number(a.offset) + 1}`, 'Completed', { epochs: 2 })], total: null, limit: a.limit, offset: a.offset }),
    'runs/count': () => ({ total }),
    'runs/metrics': () => [{ runId: 'r0', step: 'train', name: 'acc', kind: 'scalar', count: 1 }, { runId: 'r0', step: null, name: 'img', kind: 'image', count: 1 }],
  });
  return { t: new RunsTable(client), client };
}

describe('RunsTable', () => {
  it('asks the server for one page with the filters, search, sort and metric columns, then counts', async () => {
    const { t, client } = table();
    await t.set({ status: 'Failed', search: '  abc ', metrics: ['acc'] });
    expect(client.calls.at(-2)).toEqual({
      name: 'runs/list',
      args: { experiment: undefined, status: 'Failed', trigger: undefined, search: 'abc', filter: undefined, sort: 'createdAt', order: 'desc', metrics: 'acc', limit: 50, offset: 0, count: false },
    });
    expect(client.calls.at(-1)).toEqual({ name: 'runs/count', args: { experiment: undefined, status: 'Failed', trigger: undefined, search: 'abc', filter: undefined } });
    expect(t.total).toBe(120);
    expect(t.pageCount).toBe(3);
  });

  it('sends an expression as a filter, and refuses a broken one without asking the server', async () => {
    const { t, client } = table();
    await t.set({ search: "params.rate > 0.05 and tags.team = 'x'" });
    expect(client.calls.at(-2)!.args).toMatchObject({ filter: "params.rate > 0.05 and tags.team = 'x'", search: undefined });
    const n = client.calls.length;
    await t.set({ search: 'metrics.AUC >= ' });
    expect(client.calls.length).toBe(n);
    expect(t.searchError).toMatch(/^invalid search at column 15: expected a value/);
    expect(searchArgs('training')).toEqual({ search: 'training' });
    expect(searchArgs('  ')).toEqual({});
  });

  it('pages within bounds and goes back to page 1 when a filter changes', async () => {
    const { t, client } = table();
    await t.load();
    await t.goToPage(2);
    expect(client.calls.at(-2)!.args.offset).toBe(100);
    await t.goToPage(9);
    expect(client.calls.at(-2)!.args.offset).toBe(100);
    await t.set({ trigger: 'rest' });
    expect(client.calls.at(-2)!.args.offset).toBe(0);
  });

  it('sorts by a column, a metric or a parameter, toggling the direction on the same one', async () => {
    const { t, client } = table();
    await t.sortBy('durationMs');
    expect(t.query).toMatchObject({ sort: 'durationMs', order: 'desc' });
    await t.sortBy('durationMs');
    expect(t.query.order).toBe('asc');
    await t.sortBy('metrics.acc');
    expect(client.calls.at(-2)!.args).toMatchObject({ sort: 'metrics.acc', order: 'desc' });
  });

  it('keeps only the newest answer when requests overlap', async () => {
    let resolveFirst!: (v: unknown) => void;
    let n = 0;
    const client = fakeClient({
      'runs/list': () => (++n === 1 ? new Promise((r) => (resolveFirst = r)) : { items: [run('new')], total: null, limit: 50, offset: 0 }),
      'runs/count': () => ({ total: 1 }),
    });
    const t = new RunsTable(client);
    const first = t.load();
    await t.load();
    resolveFirst({ items: [run('old')], total: null, limit: 50, offset: 0 });
    await first;
    expect(t.page?.items[0].id).toBe('new');
  });

  it('patches a visible run from the event stream at once, then reloads (batched)', async () => {
    vi.useFakeTimers();
    try {
      const { t, client } = table();
      await t.load();
      const before = client.calls.length;
      t.onEvent({ type: 'run', runId: 'r0', status: 'Completed' });
      t.onEvent({ type: 'step', runId: 'r0', stepRunId: 's', step: 'a', status: 'Completed' });
      expect(t.page?.items[0].status).toBe('Completed');
      await vi.advanceTimersByTimeAsync(400);
      expect(client.calls.filter((c) => c.name === 'runs/list').length).toBe(before / 2 + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('selects runs for compare and offers scalar metrics and the parameters shown as columns', async () => {
    const { t } = table();
    await t.load();
    t.toggleSelect('a');
    t.toggleSelect('b');
    t.toggleSelect('a');
    expect(t.selected).toEqual(['b']);
    await t.loadMetricOptions();
    expect(t.metricOptions).toEqual(['acc']);
    expect(t.paramOptions).toEqual(['epochs', 'rate']);
    t.toggleParam('rate');
    expect(t.query.params).toEqual(['rate']);
  });

  it('shows the error of a failed request', async () => {
    const t = new RunsTable(fakeClient({ 'runs/list': () => Promise.reject(Object.assign(new Error('database is locked'), { details: ['retry'] })) }));
    await t.load();
    expect(t.error).toBe('database is locked\nretry');
    expect(t.loading).toBe(false);
  });
});

describe('the runs table in the URL', () => {
  it('keeps filters, sort and the chosen columns; leaves out defaults; ignores what it does not know', () => {
    const q = { ...defaultQuery(), experiment: 'e 1', search: 'metrics.a > 1', sort: 'metrics.acc' as const, order: 'asc' as const, metrics: ['acc', 'loss'], params: ['rate'], offset: 50 };
    const url = urlFromQuery(q);
    expect(url).toEqual({ experiment: 'e 1', status: undefined, trigger: undefined, search: 'metrics.a > 1', sort: 'metrics.acc', order: 'asc', offset: '50', metrics: 'acc,loss', params: 'rate' });
    expect(queryFromUrl(Object.fromEntries(Object.entries(url).filter(([, v]) => v !== undefined)) as Record<string, string>)).toEqual(q);
    expect(queryFromUrl({ status: 'Done', sort: 'colour', offset: '-3', metrics: 'a,,a' })).toEqual({ ...defaultQuery(), metrics: ['a'] });
  });
});
