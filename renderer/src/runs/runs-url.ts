// The runs table's state in the page's URL (#/runs?filter=...&metrics=a,b&params=x&sort=metrics.a):
// a link or a reload shows the same runs with the same columns.
import type { RunSortKey } from '../../../shared/api/calls/runs.js';
import { RUN_STATUSES, TRIGGER_KINDS, type RunStatus, type TriggerKind } from '../../../shared/constants.js';

export interface RunsQuery {
  experiment: string;
  status: RunStatus | '';
  trigger: TriggerKind | '';
  /** Words to look for, or an MLflow-style expression (shared/search/run-filter.ts). */
  search: string;
  sort: RunSortKey;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
  /** Metric names shown as columns. */
  metrics: string[];
  /** Parameter names shown as columns. */
  params: string[];
}

export const defaultQuery = (): RunsQuery => ({
  experiment: '', status: '', trigger: '', search: '', sort: 'createdAt', order: 'desc', offset: 0, limit: 50, metrics: [], params: [],
});

const names = (s: string | undefined): string[] => (s ? [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))] : []);
const sortKey = (s: string | undefined): RunSortKey | undefined =>
  s && (/^(createdAt|durationMs|status|pipeline|experiment|name)$/.test(s) || /^(metrics|params)\..+/.test(s)) ? (s as RunSortKey) : undefined;

/** What the URL's query says (unknown or malformed values fall back to the defaults). */
export function queryFromUrl(q: Record<string, string>): RunsQuery {
  const d = defaultQuery();
  const offset = Number(q.offset);
  return {
    ...d,
    experiment: q.experiment ?? '',
    status: (RUN_STATUSES as readonly string[]).includes(q.status) ? (q.status as RunStatus) : '',
    trigger: (TRIGGER_KINDS as readonly string[]).includes(q.trigger) ? (q.trigger as TriggerKind) : '',
    search: q.search ?? '',
    sort: sortKey(q.sort) ?? d.sort,
    order: q.order === 'asc' ? 'asc' : 'desc',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
    metrics: names(q.metrics),
    params: names(q.params),
  };
}

/** The URL query of a state: defaults are left out. */
export function urlFromQuery(q: RunsQuery): Record<string, string | undefined> {
  const d = defaultQuery();
  return {
    experiment: q.experiment || undefined,
    status: q.status || undefined,
    trigger: q.trigger || undefined,
    search: q.search || undefined,
    sort: q.sort !== d.sort ? q.sort : undefined,
    order: q.order !== d.order ? q.order : undefined,
    offset: q.offset ? String(q.offset) : undefined,
    metrics: q.metrics.length ? q.metrics.join(',') : undefined,
    params: q.params.length ? q.params.join(',') : undefined,
  };
}
