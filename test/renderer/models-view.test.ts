// The Models page's state (renderer/src/models/models-view.svelte.ts) over a fake client.
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../shared/api/sdk-records.js';
import { groupModels, ModelsView } from '../../renderer/src/models/models-view.svelte.js';
import { fakeClient } from './fake-client.js';

const model = (name: string, version: number, createdAt: string, runId: string | null = null): ModelRecord => ({
  name, version, id: `${name}:${version}`, path: `/ws/models/${name}/${version}/m.pkl`, tags: {}, properties: {}, description: null,
  runId, experiment: null, framework: null, frameworkVersion: null, datasets: [], createdAt,
});

describe('groupModels', () => {
  it('groups versions by model (newest version first), models by their newest registration', () => {
    const groups = groupModels([model('a', 1, '2026-01-01'), model('b', 1, '2026-01-02'), model('a', 2, '2026-01-03')]);
    expect(groups.map((g) => [g.name, g.versions.map((v) => v.version)])).toEqual([['a', [2, 1]], ['b', [1]]]);
  });
});

describe('ModelsView', () => {
  it('selects the newest version and finds the pipeline run of its source step run', async () => {
    const client = fakeClient({
      'models/list': () => [model('a', 2, '2026-01-03', 'step1'), model('a', 1, '2026-01-01')],
      'sdk/run': () => ({ kind: 'step', id: 'step1', parentId: 'run1', name: 'Train Model' }),
    });
    const view = new ModelsView(client);
    await view.load();
    expect(view.selected?.id).toBe('a:2');
    expect(view.sourceRun).toEqual({ runId: 'step1', pipelineRunId: 'run1', step: 'Train Model' });
    await view.select(view.groups![0].versions[1]);
    expect(view.sourceRun).toBeNull();
    expect(client.calls.filter((c) => c.name === 'sdk/run')).toHaveLength(1);
  });

  it('keeps the error of a failed load', async () => {
    const view = new ModelsView(fakeClient({ 'models/list': () => Promise.reject(new Error('down')) }));
    await view.load();
    expect(view.error).toBe('down');
  });
});
