// The runs table: query (filters, search or expression, sort, page, columns), the page the server
// returned, its total (counted after the page: counting a filter over 100,000 runs is the slow part),
// the selection for compare, and live patches from the event stream (no manual refresh).
import type { ApiClient } from '../../../shared/api/client.js';
import type { ApiEvent } from '../../../shared/api/events.js';
import type { RunPage } from '../../../shared/api/records.js';
import type { RunSortKey } from '../../../shared/api/calls/runs.js';
import { looksLikeFilter, parseRunFilter } from '../../../shared/search/run-filter.js';
import { messageOf } from '../lib/api/api.js';
import { defaultQuery, type RunsQuery } from './runs-url.js';

export type { RunsQuery } from './runs-url.js';
export { defaultQuery } from './runs-url.js';
export type SortKey = RunSortKey;

/** A search box's text as runs/list takes it: words to look for, or an expression (checked here first). */
export function searchArgs(text: string): { search?: string; filter?: string; error?: string } {
  const t = text.trim();
  if (!t) return {};
  if (!looksLikeFilter(t)) return { search: t.slice(0, 200) };
  try {
    parseRunFilter(t);
    return { filter: t };
  } catch (e) {
    return { error: messageOf(e) };
  }
}

export class RunsTable {
  query = $state<RunsQuery>(defaultQuery());
  page = $state.raw<RunPage | null>(null);
  /** The number of runs the query matches; null until counted. */
  total = $state<number | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** The search box holds an expression that does not parse: the message with its caret. */
  searchError = $state<string | null>(null);
  /** Run ids picked for compare, in the order picked. */
  selected = $state<string[]>([]);
  /** Last answer time of the runs request (ms), for the status line. */
  lastMs = $state<number | null>(null);
  /** Scalar metric names seen on the newest runs: the columns one can add. */
  metricOptions = $state.raw<string[]>([]);

  private seq = 0;
  private countKey = '';
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: ApiClient) {}

  get pageCount(): number {
    return this.total === null ? this.pageIndex + 1 + (this.page && this.page.items.length === this.query.limit ? 1 : 0) : Math.max(1, Math.ceil(this.total / this.query.limit));
  }
  get pageIndex(): number {
    return Math.floor(this.query.offset / this.query.limit);
  }
  /** Parameter names of the runs shown: the parameter columns one can add. */
  get paramOptions(): string[] {
    return [...new Set([...(this.page?.items.flatMap((r) => Object.keys(r.parameters)) ?? []), ...this.query.params])].sort();
  }

  private filterArgs() {
    const q = this.query;
    const s = searchArgs(q.search);
    return { experiment: q.experiment || undefined, status: q.status || undefined, trigger: q.trigger || undefined, search: s.search, filter: s.filter };
  }

  async load(): Promise<void> {
    const s = searchArgs(this.query.search);
    this.searchError = s.error ?? null;
    if (s.error) return;
    const seq = ++this.seq;
    const q = this.query;
    const filters = this.filterArgs();
    this.loading = true;
    const t0 = performance.now();
    try {
      const page = await this.client.call('runs/list', {
        ...filters,
        sort: q.sort,
        order: q.order,
        metrics: q.metrics.length ? q.metrics.join(',') : undefined,
        limit: q.limit,
        offset: q.offset,
        count: false,
      });
      if (seq !== this.seq) return; // a newer request is on its way
      this.page = page;
      this.error = null;
      this.lastMs = performance.now() - t0;
    } catch (e) {
      if (seq === this.seq) this.error = messageOf(e);
      return;
    } finally {
      if (seq === this.seq) this.loading = false;
    }
    await this.count(seq, filters);
  }

  /** The total, after the page is shown; a new filter forgets the old one at once. */
  private async count(seq: number, filters: ReturnType<RunsTable['filterArgs']>): Promise<void> {
    const key = JSON.stringify(filters);
    if (key !== this.countKey) this.total = null;
    this.countKey = key;
    try {
      const { total } = await this.client.call('runs/count', filters);
      if (seq === this.seq) this.total = total;
    } catch {
      // the page is there; the pager just does not know how many more
    }
  }

  /** Metric names of the first few runs shown, for the column picker. */
  async loadMetricOptions(): Promise<void> {
    const runs = this.page?.items.slice(0, 3) ?? [];
    const names = new Set([...this.metricOptions, ...this.query.metrics]);
    const lists = await Promise.all(
      // A run deleted meanwhile: its metrics just do not show up as options.
      runs.map((r) => this.client.call('runs/metrics', { id: r.id }).catch(() => [])),
    );
    for (const list of lists) for (const m of list) if (m.kind === 'scalar') names.add(m.name);
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

  /** Parameter columns come with every page: no request. */
  toggleParam(name: string): void {
    const p = this.query.params;
    this.query = { ...this.query, params: p.includes(name) ? p.filter((x) => x !== name) : [...p, name] };
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
