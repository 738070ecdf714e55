// Runs as points of a metric-vs-parameter scatter and lines of a parallel-coordinates chart (as
// MLflow's compare view draws them): each key (params.NAME or metrics.NAME) is an axis, numeric when
// every run's value is a number, else one tick per distinct text.
import type { RunSummary } from '../../../shared/api/records.js';

export type ChartRun = Pick<RunSummary, 'id' | 'shortId' | 'name' | 'parameters' | 'metrics'>;

export interface Axis {
  key: string;
  /** The name without its params./metrics. prefix. */
  label: string;
  kind: 'number' | 'category';
  min: number;
  max: number;
  /** Category axes: the distinct values, in order (their index is the position). */
  categories: string[];
}

/** A run's value for `params.NAME` / `metrics.NAME`; undefined when it has none. */
export function rawValue(r: ChartRun, key: string): number | string | boolean | null | undefined {
  if (key.startsWith('metrics.')) return r.metrics?.[key.slice(8)] ?? undefined;
  if (key.startsWith('params.')) {
    const name = key.slice(7);
    return Object.hasOwn(r.parameters, name) ? r.parameters[name] : undefined;
  }
  return undefined;
}

export function axisFor(runs: ChartRun[], key: string): Axis {
  const values = runs.map((r) => rawValue(r, key)).filter((v) => v !== undefined && v !== null);
  const label = key.replace(/^(params|metrics)\./, '');
  if (values.length && values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const nums = values as number[];
    return { key, label, kind: 'number', min: Math.min(...nums), max: Math.max(...nums), categories: [] };
  }
  const categories = [...new Set(values.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { key, label, kind: 'category', min: 0, max: Math.max(0, categories.length - 1), categories };
}

/** A run's value on an axis as a number (category: its index); null when it has none. */
export function axisValue(axis: Axis, r: ChartRun): number | null {
  const v = rawValue(r, axis.key);
  if (v === undefined || v === null) return null;
  if (axis.kind === 'number') return typeof v === 'number' ? v : null;
  return axis.categories.indexOf(String(v));
}

/** 0 (bottom) to 1 (top) on the axis; a one-value axis puts everything in the middle. */
export function position(axis: Axis, v: number | null): number | null {
  if (v === null) return null;
  return axis.max === axis.min ? 0.5 : (v - axis.min) / (axis.max - axis.min);
}

export interface ScatterData {
  xAxis: Axis;
  yAxis: Axis;
  /** Sorted by x (uPlot draws x ascending); runs missing either value are left out. */
  x: number[];
  y: number[];
  runs: ChartRun[];
}

export function scatter(runs: ChartRun[], xKey: string, yKey: string): ScatterData {
  const xAxis = axisFor(runs, xKey);
  const yAxis = axisFor(runs, yKey);
  const pts = runs
    .map((r) => ({ r, x: axisValue(xAxis, r), y: axisValue(yAxis, r) }))
    .filter((p): p is { r: ChartRun; x: number; y: number } => p.x !== null && p.y !== null)
    .sort((a, b) => a.x - b.x);
  return { xAxis, yAxis, x: pts.map((p) => p.x), y: pts.map((p) => p.y), runs: pts.map((p) => p.r) };
}

export interface ParallelData {
  axes: Axis[];
  /** One per run with a value on the last axis (the metric that colors it); positions 0..1 or null. */
  lines: { run: ChartRun; at: (number | null)[]; color: number }[];
}

export function parallel(runs: ChartRun[], keys: string[]): ParallelData {
  const axes = keys.map((k) => axisFor(runs, k));
  const last = axes.at(-1);
  const lines = runs
    .map((run) => ({ run, at: axes.map((a) => position(a, axisValue(a, run))) }))
    .filter((l) => l.at.at(-1) !== null && l.at.at(-1) !== undefined)
    .map((l) => ({ ...l, color: l.at.at(-1)! }));
  return { axes: last ? axes : [], lines };
}

/** Parameters worth an axis: those the runs differ in (a parameter every run holds the same adds nothing). */
export function varyingParams(runs: ChartRun[]): string[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.parameters)))].sort();
  return names.filter((n) => new Set(runs.map((r) => JSON.stringify(r.parameters[n] ?? null))).size > 1).map((n) => `params.${n}`);
}
