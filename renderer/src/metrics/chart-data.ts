// From metric series to uPlot's aligned columns: one shared x axis (the union of every series'
// x values), each series null where it has no point there.
export interface Series {
  label: string;
  x: number[];
  y: (number | null)[];
}

export type Aligned = [number[], ...(number | null)[][]];

export function align(series: Series[]): Aligned {
  if (series.length === 1) return [series[0].x, series[0].y];
  const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const cols = series.map((s) => {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    s.x.forEach((x, i) => (col[at.get(x)!] = s.y[i]));
    return col;
  });
  return [xs, ...cols];
}

/** Points of runs/metric-series to x/y: x is the logged step when every point has one, else the point's index. */
export function toSeries(label: string, points: { index: number; step: number | null; value: unknown }[]): Series {
  const useStep = points.length > 0 && points.every((p) => typeof p.step === 'number');
  const pts = points.filter((p) => typeof p.value === 'number' || p.value === null);
  return {
    label,
    x: pts.map((p) => (useStep ? (p.step as number) : p.index)),
    y: pts.map((p) => (typeof p.value === 'number' ? p.value : null)),
  };
}

export const PALETTE = ['#2563eb', '#e8590c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777'];

/** The points to chart of a metric: a list metric is one array value, charted by position. */
export function chartPoints(s: { kind: string; points: { index: number; step: number | null; value: unknown }[] }): { index: number; step: number | null; value: unknown }[] {
  if (s.kind === 'list') {
    const last = s.points[s.points.length - 1]?.value;
    return Array.isArray(last) ? last.map((value, index) => ({ index, step: null, value })) : [];
  }
  return s.points;
}
