import { describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/api/records.js';
import { RunsTable } from '../../renderer/src/runs/runs-table.svelte.js';
import { fakeClient } from './fake-client.js';

const run = (id: string, status: RunSummary['status'] = 'Completed'): RunSummary => ({
  id, experiment: 'e', pipeline: 'p', pipelineFile: 'p.yml', status, parameters: {}, trigger: { kind: 'manual' }, description: null, tags: {},
  createdAt: '2026-01-01T00:00:00Z', startedAt: null, endedAt: null, durationMs: null, error: null, stepCounts: {},
});

function table(total = 120) {
  const client = fakeClient({
    'runs/list': (a) => ({ items: [run(`r${a.offset}`, 'Running'), run(`r${Number(a.offset) + 1}`)], total, limit: a.limit, offset: a.offset }),
    'runs/metrics': () => [{ runId: 'r0', step: 'train', name: 'acc', kind: 'scalar', count: 1 }, { runId: 'r0', step: null, name: 'img', kind: 'image', count: 1 }],
  });
  return { t: new RunsTable(client), client };
}

describe('RunsTable', () => {
  it('asks the server for one page with the filters, search, sort and metric columns', async () => {
    const { t, client } = table();
    await t.set({ status: 'Failed', search: '  abc ', metrics: ['acc'] });
    expect(client.calls.at(-1)).toEqual({
      name: 'runs/list',
      args: { experiment: undefined, status: 'Failed', trigger: undefined, search: 'abc', sort: 'createdAt', order: 'desc', metrics: 'acc', limit: 50, offset: 0 },
    });
    expect(t.page?.total).toBe(120);
    expect(t.pageCount).toBe(3);
  });

  it('pages within bounds and goes back to page 1 when a filter changes', async () => {
    const { t, client } = table();
    await t.load();
    await t.goToPage(2);
    expect(client.calls.at(-1)!.args.offset).toBe(100);
    await t.goToPage(9);
    expect(client.calls.at(-1)!.args.offset).toBe(100);
    await t.set({ trigger: 'rest' });
    expect(client.calls.at(-1)!.args.offset).toBe(0);
  });

  it('toggles the sort direction on the same column', async () => {
    const { t } = table();
    await t.sortBy('durationMs');
    expect(t.query).toMatchObject({ sort: 'durationMs', order: 'desc' });
    await t.sortBy('durationMs');
    expect(t.query.order).toBe('asc');
  });

  it('keeps only the newest answer when requests overlap', async () => {
    let resolveFirst!: (v: unknown) => void;
    let n = 0;
    const client = fakeClient({
      'runs/list': () => (++n === 1 ? new Promise((r) => (resolveFirst = r)) : { items: [run('new')], total: 1, limit: 50, offset: 0 }),
    });
    const t = new RunsTable(client);
    const first = t.load();
    await t.load();
    resolveFirst({ items: [run('old')], total: 1, limit: 50, offset: 0 });
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
      expect(client.calls.length).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('selects runs for compare and offers scalar metrics as columns', async () => {
    const { t } = table();
    await t.load();
    t.toggleSelect('a');
    t.toggleSelect('b');
    t.toggleSelect('a');
    expect(t.selected).toEqual(['b']);
    await t.loadMetricOptions();
    expect(t.metricOptions).toEqual(['acc']);
  });

  it('shows the error of a failed request', async () => {
    const t = new RunsTable(fakeClient({ 'runs/list': () => Promise.reject(Object.assign(new Error('database is locked'), { details: ['retry'] })) }));
    await t.load();
    expect(t.error).toBe('database is locked\nretry');
    expect(t.loading).toBe(false);
  });
});
