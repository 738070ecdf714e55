// How a run record carries a metric series (issue 13): bounded, whatever the series' length.

/**
 * A metric logged more than once (or logged as rows), in a run record: how many points, the last
 * value and the numeric range. The points themselves: the `runs/metric-series` call.
 */
export interface MetricSummary {
  count: number;
  last: unknown;
  /** Over the points that are numbers; null when none is. */
  min: number | null;
  max: number | null;
}

/** True for a series' summary; a metric logged once is its value (no summary). */
export function isMetricSummary(v: unknown): v is MetricSummary {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 4 && typeof (v as MetricSummary).count === 'number' && 'last' in v && 'min' in v && 'max' in v;
}
