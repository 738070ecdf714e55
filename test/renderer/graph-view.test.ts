// The pipeline graph for 50+ steps (issue 14): fit, zoom at the pointer, pan within bounds, and
// step names wrapped on two lines, never drawn below a readable size.
import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../../renderer/src/runs/graph-layout.js';
import { fitView, MIN_SCALE, panBy, wrapLabel, zoomAt } from '../../renderer/src/runs/graph-view.js';

describe('graph view', () => {
  it('fits a small graph at full size, centred', () => {
    expect(fitView({ width: 200, height: 100 }, { width: 600, height: 400 })).toEqual({ scale: 1, x: 200, y: 150 });
  });

  it('shrinks a 50-step chain no further than readable, from its top when it still does not fit', () => {
    const steps = Array.from({ length: 50 }, (_, i) => `step_${i}`);
    const g = layoutGraph(steps, Object.fromEntries(steps.map((s, i) => [s, i ? [steps[i - 1]] : []])));
    const v = fitView(g, { width: 800, height: 520 });
    expect(v.scale).toBe(MIN_SCALE);
    expect(v.y).toBe(12);
    expect(13 * v.scale).toBeGreaterThanOrEqual(9);
  });

  it('zooms at the pointer and clamps the scale', () => {
    const v = zoomAt({ scale: 1, x: 0, y: 0 }, 2, { x: 100, y: 50 });
    expect(v).toEqual({ scale: 2, x: -100, y: -50 });
    expect(zoomAt(v, 10, { x: 0, y: 0 }).scale).toBe(2);
    expect(zoomAt(v, 0.01, { x: 0, y: 0 }).scale).toBe(MIN_SCALE);
  });

  it('pans but keeps part of the graph in view', () => {
    const v = panBy({ scale: 1, x: 0, y: 0 }, -5000, 0, { width: 1000, height: 500 }, { width: 600, height: 400 });
    expect(v.x).toBe(60 - 1000);
  });

  it('wraps long step names on two lines and cuts the rest with an ellipsis', () => {
    expect(wrapLabel('train')).toEqual(['train']);
    expect(wrapLabel('prepare training data for the model', 24)).toEqual(['prepare training data', 'for the model']);
    expect(wrapLabel('a_very_long_step_identifier_with_many_parts_and_more', 24)).toEqual(['a_very_long_step_', 'identifier_with_many_pa…']);
    expect(wrapLabel('x'.repeat(60), 24)).toEqual(['x'.repeat(24), `${'x'.repeat(23)}…`]);
  });
});
