// Several runs side by side: parameters and final metric values as rows (differences marked),
// and every series metric as one chart with a line per run.
import type { ApiClient } from '../../../shared/api/client.js';
import type { MetricInfo, MetricSeries } from '../../../shared/api/records.js';
import { isMetricSummary } from '../../../shared/metric-summary.js';
import type { RunRecord } from '../../../shared/types.js';
import { messageOf } from '../lib/api/api.js';

export interface CompareRow {
  key: string;
  values: unknown[];
  differs: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One row per key any run has; `differs` when not every run holds the same value. */
export function compareRows(objs: Record<string, unknown>[]): CompareRow[] {
  const keys = [...new Set(objs.flatMap((o) => Object.keys(o)))].sort();
  return keys.map((key) => {
    const values = objs.map((o) => (Object.hasOwn(o, key) ? o[key] : undefined));
    return { key, values, differs: values.some((v) => !same(v, values[0])) };
  });
}

/** `step/name` (or `name` for pipeline-level metrics) -> the last scalar value. */
export function lastScalars(run: RunRecord): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const put = (prefix: string, metrics: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(metrics)) out[prefix + k] = isMetricSummary(v) ? v.last : Array.isArray(v) ? v[v.length - 1] : v;
  };
  put('', run.metrics);
  for (const s of run.steps) put(`${s.name}/`, s.metrics);
  return out;
}

export interface OverlaidMetric {
  key: string;
  step: string | null;
  name: string;
  /** One series per run (null where that run has no such metric). */
  series: (MetricSeries | null)[];
}

export class Compare {
  runs = $state.raw<RunRecord[]>([]);
  charts = $state.raw<OverlaidMetric[]>([]);
  error = $state<string | null>(null);
  loading = $state(false);

  constructor(
    private readonly client: ApiClient,
    readonly ids: string[],
    private readonly maxPoints = 1000,
  ) {}

  get params(): CompareRow[] {
    return compareRows(this.runs.map((r) => r.parameters));
  }
  get metrics(): CompareRow[] {
    return compareRows(this.runs.map(lastScalars));
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const runs = await Promise.all(this.ids.map((id) => this.client.call('runs/get', { id })));
      const infos = await Promise.all(runs.map((r) => this.client.call('runs/metrics', { id: r.id })));
      const seriesKeys = new Map<string, MetricInfo>();
      for (const list of infos) for (const m of list) if ((m.kind === 'scalar' && m.count > 1) || m.kind === 'list') seriesKeys.set(`${m.step ?? ''}/${m.name}`, m);
      const charts = await Promise.all(
        [...seriesKeys.entries()].map(async ([key, m]) => ({
          key,
          step: m.step,
          name: m.name,
          series: await Promise.all(
            runs.map((r, i) =>
              infos[i].some((x) => x.step === m.step && x.name === m.name)
                ? this.client.call('runs/metric-series', { id: r.id, name: m.name, step: m.step ?? undefined, maxPoints: this.maxPoints })
                : Promise.resolve(null),
            ),
          ),
        })),
      );
      this.runs = runs;
      this.charts = charts.sort((a, b) => a.key.localeCompare(b.key));
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.loading = false;
    }
  }
}
