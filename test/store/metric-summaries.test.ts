// Each metric's summary (count, numeric range, last point), kept as points arrive: what a run
// record carries instead of every point, and what migration 0008 computes for older workspaces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMetricSummary } from '../../shared/metric-summary.js';
import { loadMigrations, openDatabase } from '../../main/store/database.js';
import type { NewMetric } from '../../main/store/metric-store.js';
import { Store } from '../../main/store/store.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'millrace-summaries-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let ts = 0;
const point = (name: string, value: unknown, kind: NewMetric['kind'] = 'scalar'): NewMetric => ({ runId: 's', name, kind, step: null, value, description: null, ts: ++ts });

function withRun(file: string): Store {
  const store = Store.open(join(dir, file));
  store.runs.createPipelineRun({
    id: 'r', experiment: 'e', pipelineName: 'p', pipelineFile: null, parameters: {}, definition: {}, trigger: { kind: 'cli' }, owner: null,
    steps: [{ id: 's', name: 's', displayName: 's', seq: 0, definition: {} }],
  });
  return store;
}

// Logged in three batches, as the watch tick and the step's end ingest them.
const batches: NewMetric[][] = [
  [point('loss', 3), point('note', 'warming up'), point('acc', 0.5), point('rows', { a: 1 }, 'row')],
  [point('loss', 0.5), point('loss', 'NaN seen'), point('cols', ['a'], 'list'), point('note', 'done')],
  [point('loss', 1), point('rows', { a: 2 }, 'row'), point('cols', ['a', 'b'], 'list')],
];
const expected = {
  loss: { count: 4, last: 1, min: 0.5, max: 3 },
  note: { count: 2, last: 'done', min: null, max: null },
  acc: 0.5,
  rows: { count: 2, last: { a: 2 }, min: null, max: null },
  cols: ['a', 'b'],
};

describe('metric summaries', () => {
  it('are kept across batches: counts add up, the range covers the numbers only, the last point wins', () => {
    const store = withRun('a.db');
    try {
      for (const b of batches) store.metrics.insert(b);
      const values = store.runs.get('r').steps[0].metrics;
      expect(values).toEqual(expected);
      // In the order the metrics first appeared, as before.
      expect(Object.keys(values)).toEqual(['loss', 'note', 'acc', 'rows', 'cols']);
      expect(Object.values(values).map(isMetricSummary)).toEqual([true, true, false, true, false]);
      expect(store.metrics.series('s', 'loss')).toEqual({ count: 4, kind: 'scalar' });
      expect(store.metrics.page('s', 'loss', 1, 2).map((p) => p.value)).toEqual([0.5, 'NaN seen']);
      // The SDK's get_metrics keeps every value.
      expect(store.metrics.summary('s').loss).toEqual([3, 0.5, 'NaN seen', 1]);
    } finally {
      store.close();
    }
  });

  it('are computed by the migration for points stored before it', () => {
    const before = loadMigrations().filter((m) => m.version < 8);
    const file = join(dir, 'old.db');
    const db = openDatabase(file, before);
    db.prepare(`INSERT INTO experiments (id, name, created_at) VALUES (1, 'e', 1)`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, kind, name, status, created_at) VALUES ('r', 1, 'pipeline', 'p', 'Running', 1)`).run();
    db.prepare(`INSERT INTO runs (id, experiment_id, parent_id, kind, name, status, created_at) VALUES ('s', 1, 'r', 'step', 's', 'Running', 1)`).run();
    const insert = db.prepare('INSERT INTO metrics (run_id, name, kind, step, value, value_json, description, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const p of batches.flat()) {
      const numeric = p.kind === 'scalar' && typeof p.value === 'number';
      insert.run(p.runId, p.name, p.kind, p.step, numeric ? p.value : null, numeric ? null : JSON.stringify(p.value), null, p.ts);
    }
    db.close();
    const store = Store.open(file);
    try {
      expect(store.runs.get('r').steps[0].metrics).toEqual(expected);
    } finally {
      store.close();
    }
  });
});

describe('isMetricSummary', () => {
  it('tells a summary from values', () => {
    expect(isMetricSummary({ count: 2, last: 1, min: 1, max: 2 })).toBe(true);
    for (const v of [0.5, 'x', null, [1, 2], { count: 2, last: 1 }, { tn: [5], fp: [1] }, { count: '2', last: 1, min: null, max: null }]) {
      expect(isMetricSummary(v), JSON.stringify(v)).toBe(false);
    }
  });
});
