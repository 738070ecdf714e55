// The run page's state: the graph of what the run ran (runs/pipeline: a published run's snapshot is
// outside pipelines/, bug 1), rerun through runs/rerun, the failed step a failed run opens at.
import { describe, expect, it } from 'vitest';
import type { RunRecord, StepRecord } from '../../shared/types.js';
import { RunView } from '../../renderer/src/runs/run-view.svelte.js';
import { fakeClient } from './fake-client.js';

const step = (name: string, status: StepRecord['status']): StepRecord => ({
  id: `${name}-id`, name, displayName: name, status, reusedFrom: null, reusedFromRun: null, durationMs: 1, outputs: {}, startedAt: null, endedAt: null, attempt: 1, exitCode: null, error: null, metrics: {},
});
const record = (status: RunRecord['status'], steps: StepRecord[]): RunRecord => ({
  id: 'run1', shortId: 'run1', name: null, experiment: 'e', pipeline: 'p', pipelineFile: '/ws/published/x/p.yml', published: { id: 'x', name: 'p', version: '1.0', endpoint: 'ep' },
  status, parameters: { n: 1 }, trigger: { kind: 'rest', token: 't' }, description: null, tags: {}, createdAt: '', startedAt: null, endedAt: null, durationMs: null, error: null, steps, metrics: {},
});

describe('RunView', () => {
  it("takes the graph from the run's own record and reruns through runs/rerun", async () => {
    const client = fakeClient({
      'runs/get': () => record('Failed', [step('a', 'Completed'), step('b', 'Failed'), step('c', 'Failed')]),
      'runs/pipeline': () => ({ runId: 'run1', name: 'p', description: null, steps: ['a', 'b', 'c'], parameters: {}, dependsOn: { a: [], b: ['a'], c: ['a'] }, stepSpecs: {}, invocations: {} }),
      'runs/rerun': (a) => ({ ...record('NotStarted', []), id: 'run2', parameters: a.parameters ?? { n: 1 } }),
    });
    const v = new RunView(client, 'run1');
    await v.load();
    expect(client.calls.map((c) => c.name)).toEqual(['runs/get', 'runs/pipeline']);
    expect(v.dependsOn).toEqual({ a: [], b: ['a'], c: ['a'] });
    expect(v.failedStep?.name).toBe('b');
    const again = await v.rerun({ parameters: { n: 5 } });
    expect(client.calls.at(-1)).toEqual({ name: 'runs/rerun', args: { id: 'run1', parameters: { n: 5 } } });
    expect(again.parameters).toEqual({ n: 5 });
  });
});
