// The metrics of one run or step, grouped by how they are shown: charts for series, a table of
// single values, tables for rows/tables, images.
import type { ApiClient } from '../../../shared/api/client.js';
import type { MetricInfo, MetricSeries } from '../../../shared/api/records.js';
import { messageOf } from '../lib/api/api.js';
import { chartPoints } from './chart-data.js';

export const CHART_POINTS = 1000;

export interface TableData {
  columns: string[];
  rows: unknown[][];
}

/** Rows (one object per point) or a table (column -> values) to columns + rows. */
export function toTable(kind: MetricInfo['kind'], values: unknown[]): TableData {
  if (kind === 'table') {
    const t = (values[values.length - 1] ?? {}) as Record<string, unknown[]>;
    const columns = Object.keys(t);
    const n = Math.max(0, ...columns.map((c) => (Array.isArray(t[c]) ? t[c].length : 0)));
    return { columns, rows: Array.from({ length: n }, (_, i) => columns.map((c) => t[c]?.[i])) };
  }
  const objs = values.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v));
  const columns = [...new Set(objs.flatMap((o) => Object.keys(o)))];
  return { columns, rows: objs.map((o) => columns.map((c) => o[c])) };
}

export class MetricsView {
  infos = $state.raw<MetricInfo[]>([]);
  series = $state.raw<Record<string, MetricSeries>>({});
  error = $state<string | null>(null);
  loaded = $state(false);

  constructor(
    private readonly client: ApiClient,
    private readonly runId: string,
    /** Step name, or null for the pipeline run's own metrics. */
    private readonly step: string | null,
  ) {}

  get charts(): MetricInfo[] {
    return this.infos.filter((m) => (m.kind === 'scalar' && m.count > 1) || m.kind === 'list');
  }
  get singles(): MetricInfo[] {
    return this.infos.filter((m) => m.kind === 'scalar' && m.count === 1);
  }
  get tables(): MetricInfo[] {
    return this.infos.filter((m) => m.kind === 'row' || m.kind === 'table');
  }
  get images(): MetricInfo[] {
    return this.infos.filter((m) => m.kind === 'image');
  }

  async load(): Promise<void> {
    try {
      const all = await this.client.call('runs/metrics', { id: this.runId });
      const mine = all.filter((m) => m.step === this.step);
      // No prototype: metric names are the user's (a metric may be called '__proto__' or 'toString').
      const series: Record<string, MetricSeries> = Object.create(null);
      await Promise.all(
        mine.map(async (m) => {
          series[m.name] = await this.client.call('runs/metric-series', { id: this.runId, name: m.name, step: this.step ?? undefined, maxPoints: CHART_POINTS });
        }),
      );
      this.infos = mine;
      this.series = series;
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.loaded = true;
    }
  }

  /** A list metric is one array value: chart its items by position. */
  chartPoints(name: string): { index: number; step: number | null; value: unknown }[] {
    const s = Object.hasOwn(this.series, name) ? this.series[name] : undefined;
    return s ? chartPoints(s) : [];
  }
}
