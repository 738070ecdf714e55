import { describe, expect, it } from 'vitest';
import { href, parseHash, Router } from '../../renderer/src/lib/router.svelte.js';
import { align, chartPoints, toSeries } from '../../renderer/src/metrics/chart-data.js';
import { toTable } from '../../renderer/src/metrics/metrics-view.svelte.js';
import { layoutGraph } from '../../renderer/src/runs/graph-layout.js';
import { compareRows, lastScalars } from '../../renderer/src/runs/compare.svelte.js';
import { curlSnippet, pythonSnippet } from '../../renderer/src/pipelines/snippets.js';
import type { RunRecord } from '../../shared/types.js';

describe('router', () => {
  it('parses hash routes with queries and builds them back, leaving out empty values', () => {
    expect(parseHash('')).toEqual({ parts: ['runs'], query: {} });
    expect(parseHash('#/runs/ab%2Fc?step=train&tab=log')).toEqual({ parts: ['runs', 'ab/c'], query: { step: 'train', tab: 'log' } });
    expect(href('/runs', { experiment: 'x y', status: '', n: 2 })).toBe('#/runs?experiment=x+y&n=2');
    const r = new Router();
    r.go('#/runs/1?step=a');
    r.setQuery({ tab: 'log', step: null });
    expect(r.route).toEqual({ parts: ['runs', '1'], query: { tab: 'log' } });
  });
});

describe('graph layout', () => {
  it('puts a step below the steps it depends on and draws one edge per dependency', () => {
    const g = layoutGraph(['prep', 'train', 'report', 'other'], { train: ['prep'], report: ['train', 'prep', 'gone'] });
    const y = Object.fromEntries(g.nodes.map((n) => [n.id, n.y]));
    expect(y.train).toBeGreaterThan(y.prep);
    expect(y.report).toBeGreaterThan(y.train);
    expect(g.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['prep>report', 'prep>train', 'train>report']);
    expect(g.edges.every((e) => e.d.startsWith('M'))).toBe(true);
    expect(g.width).toBeGreaterThan(0);
  });
});

describe('chart data', () => {
  it('aligns series on the union of their x values', () => {
    expect(align([{ label: 'a', x: [0, 1], y: [1, 2] }, { label: 'b', x: [1, 2], y: [5, 6] }])).toEqual([[0, 1, 2], [1, 2, null], [null, 5, 6]]);
  });
  it('uses logged steps as x when every point has one, else the index; list metrics chart by position', () => {
    expect(toSeries('m', [{ index: 0, step: 10, value: 1 }, { index: 1, step: 20, value: 'x' }])).toEqual({ label: 'm', x: [10], y: [1] });
    expect(toSeries('m', [{ index: 0, step: null, value: 1 }, { index: 5, step: 3, value: 2 }]).x).toEqual([0, 5]);
    expect(chartPoints({ kind: 'list', points: [{ index: 0, step: null, value: [3, 2, 1] }] }).map((p) => p.value)).toEqual([3, 2, 1]);
  });
  it('turns rows and tables into columns and rows', () => {
    expect(toTable('row', [{ a: 1, b: 2 }, { a: 3, c: 4 }])).toEqual({ columns: ['a', 'b', 'c'], rows: [[1, 2, undefined], [3, undefined, 4]] });
    expect(toTable('table', [{ x: [1, 2], y: [3] }])).toEqual({ columns: ['x', 'y'], rows: [[1, 3], [2, undefined]] });
  });
});

describe('compare', () => {
  it('marks rows whose values differ and flattens step metrics to step/name', () => {
    expect(compareRows([{ a: 1, b: 2 }, { a: 1, b: 3, c: 0 }])).toEqual([
      { key: 'a', values: [1, 1], differs: false },
      { key: 'b', values: [2, 3], differs: true },
      { key: 'c', values: [undefined, 0], differs: true },
    ]);
    const run = { metrics: { best: 0.9 }, steps: [{ name: 'train', metrics: { loss: { count: 3, last: 1, min: 1, max: 3 }, acc: 0.8, sizes: [3, 2] } }] } as unknown as RunRecord;
    expect(lastScalars(run)).toEqual({ best: 0.9, 'train/loss': 1, 'train/acc': 0.8, 'train/sizes': 2 });
  });
});

describe('snippets', () => {
  it('are ready to paste: curl and the Azure ML requests.post call, with example parameters', () => {
    const params = { reg_rate: { type: 'number' as const, default: 0.01 }, flag: { type: 'boolean' as const } };
    const curl = curlSnippet('http://h/x', 'exp', params);
    expect(curl).toContain(`curl -X POST 'http://h/x'`);
    expect(curl).toContain('Bearer $MILLRACE_TOKEN');
    expect(curl).toContain('{"ExperimentName":"exp","ParameterAssignments":{"reg_rate":0.01,"flag":false}}');
    const py = pythonSnippet('http://h/x', 'exp', params);
    expect(py).toContain('requests.post(rest_endpoint, headers=auth_header,');
    expect(py).toContain('"flag":False');
  });
});
