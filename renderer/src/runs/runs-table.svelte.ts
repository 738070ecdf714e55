// The runs table: query (filters, search, sort, page), the page the server returned, the
// selection for compare, and live patches from the event stream (no manual refresh).
import type { ApiClient } from '../../../shared/api/client.js';
import type { RUN_SORT_KEYS } from '../../../shared/api/calls/runs.js';
import type { ApiEvent } from '../../../shared/api/events.js';
import type { Page, RunSummary } from '../../../shared/api/records.js';
import type { RunStatus, TriggerKind } from '../../../shared/constants.js';
import { messageOf } from '../lib/api/api.js';

export type SortKey = (typeof RUN_SORT_KEYS)[number];

export interface RunsQuery {
  experiment: string;
  status: RunStatus | '';
  trigger: TriggerKind | '';
  search: string;
  sort: SortKey;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
  /** Metric names shown as columns. */
  metrics: string[];
}

export const defaultQuery = (): RunsQuery => ({
  experiment: '',
  status: '',
  trigger: '',
  search: '',
  sort: 'createdAt',
  order: 'desc',
  offset: 0,
  limit: 50,
  metrics: [],
});

export class RunsTable {
  query = $state<RunsQuery>(defaultQuery());
  page = $state.raw<Page<RunSummary> | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Run ids picked for compare, in the order picked. */
  selected = $state<string[]>([]);
  /** Last answer time of the runs request (ms), for the status line. */
  lastMs = $state<number | null>(null);

  /** Scalar metric names seen on the newest runs: the columns one can add. */
  metricOptions = $state.raw<string[]>([]);

  private seq = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: ApiClient) {}

  get pageCount(): number {
    return this.page ? Math.max(1, Math.ceil(this.page.total / this.query.limit)) : 1;
  }
  get pageIndex(): number {
    return Math.floor(this.query.offset / this.query.limit);
  }

  async load(): Promise<void> {
    const seq = ++this.seq;
    const q = this.query;
    this.loading = true;
    const t0 = performance.now();
    try {
      const page = await this.client.call('runs/list', {
        experiment: q.experiment || undefined,
        status: q.status || undefined,
        trigger: q.trigger || undefined,
        search: q.search.trim() || undefined,
        sort: q.sort,
        order: q.order,
        metrics: q.metrics.length ? q.metrics.join(',') : undefined,
        limit: q.limit,
        offset: q.offset,
      });
      if (seq !== this.seq) return; // a newer request is on its way
      this.page = page;
      this.error = null;
      this.lastMs = performance.now() - t0;
    } catch (e) {
      if (seq === this.seq) this.error = messageOf(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Metric names of the first few runs shown, for the column picker. */
  async loadMetricOptions(): Promise<void> {
    const runs = this.page?.items.slice(0, 3) ?? [];
    const names = new Set(this.metricOptions);
    for (const r of runs) {
      try {
        for (const m of await this.client.call('runs/metrics', { id: r.id })) if (m.kind === 'scalar') names.add(m.name);
      } catch {
        // a run deleted meanwhile: its metrics just do not show up as options
      }
    }
    this.metricOptions = [...names].sort();
  }

  /** Change filters: back to the first page. */
  set(patch: Partial<RunsQuery>): Promise<void> {
    this.query = { ...this.query, offset: 0, ...patch };
    return this.load();
  }

  sortBy(key: SortKey): Promise<void> {
    const order = this.query.sort === key && this.query.order === 'desc' ? 'asc' : 'desc';
    return this.set({ sort: key, order });
  }

  goToPage(index: number): Promise<void> {
    const i = Math.min(Math.max(0, index), this.pageCount - 1);
    this.query = { ...this.query, offset: i * this.query.limit };
    return this.load();
  }

  toggleMetric(name: string): Promise<void> {
    const m = this.query.metrics;
    this.query = { ...this.query, metrics: m.includes(name) ? m.filter((x) => x !== name) : [...m, name] };
    return this.load();
  }

  toggleSelect(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((x) => x !== id) : [...this.selected, id];
  }

  /** Live updates: patch a visible run's status at once; a run we do not show yet means a reload (batched). */
  onEvent(e: ApiEvent): void {
    const page = this.page;
    if (!page) return;
    const i = page.items.findIndex((r) => r.id === e.runId);
    if (i >= 0 && e.type === 'run') {
      const items = page.items.slice();
      items[i] = { ...items[i], status: e.status, error: e.error ?? items[i].error };
      this.page = { ...page, items };
    }
    // Step counts, durations, new runs: one batched reload picks them all up.
    this.scheduleReload();
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load(), 300);
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.seq++;
  }
}
