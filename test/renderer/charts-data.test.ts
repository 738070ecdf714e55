// Charts across runs (issue 14): a metric against a parameter, and parallel coordinates.
import { describe, expect, it } from 'vitest';
import { axisFor, parallel, scatter, varyingParams, type ChartRun } from '../../renderer/src/runs/charts-data.js';

const run = (id: string, parameters: ChartRun['parameters'], metrics: Record<string, number | null>): ChartRun => ({ id, shortId: id, name: null, parameters, metrics });
const runs = [
  run('a', { rate: 0.5, opt: 'adam', seed: 1 }, { AUC: 0.7 }),
  run('b', { rate: 0.1, opt: 'sgd', seed: 1 }, { AUC: 0.9 }),
  run('c', { rate: 0.3, opt: 'adam', seed: 1 }, { AUC: null }),
  run('d', { rate: 0.2, opt: 'sgd', seed: 1 }, { AUC: 0.8 }),
];

describe('charts across runs', () => {
  it('a scatter of a metric against a numeric parameter, sorted by x, runs without the metric left out', () => {
    const s = scatter(runs, 'params.rate', 'metrics.AUC');
    expect(s.x).toEqual([0.1, 0.2, 0.5]);
    expect(s.y).toEqual([0.9, 0.8, 0.7]);
    expect(s.runs.map((r) => r.id)).toEqual(['b', 'd', 'a']);
    expect(s.xAxis).toMatchObject({ kind: 'number', min: 0.1, max: 0.5, label: 'rate' });
  });

  it('text parameters become category axes', () => {
    expect(axisFor(runs, 'params.opt')).toMatchObject({ kind: 'category', categories: ['adam', 'sgd'], min: 0, max: 1 });
    expect(scatter(runs, 'params.opt', 'metrics.AUC').x).toEqual([0, 1, 1]);
  });

  it('parallel coordinates: one line per run with the metric, positions 0..1, colored by the metric', () => {
    const p = parallel(runs, ['params.rate', 'params.opt', 'metrics.AUC']);
    expect(p.axes.map((a) => a.label)).toEqual(['rate', 'opt', 'AUC']);
    const b = p.lines.find((l) => l.run.id === 'b')!;
    expect(b.at[0]).toBe(0);
    expect(b.at[1]).toBe(1);
    expect(b.at[2]).toBeCloseTo(1);
    expect(b.color).toBeCloseTo(1);
    expect(p.lines.map((l) => l.run.id)).toEqual(['a', 'b', 'd']);
  });

  it('offers only the parameters the runs differ in', () => {
    expect(varyingParams(runs)).toEqual(['params.opt', 'params.rate']);
  });
});
