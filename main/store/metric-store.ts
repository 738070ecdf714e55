// Metric points of runs. Inserted in batches (a step may log 100,000 points).
import type { MetricKind } from '../../shared/constants.js';
import type { MetricSummary } from '../../shared/metric-summary.js';
import type { MetricPoint, MetricValues } from '../../shared/types.js';
import { Table } from './statements.js';

export interface NewMetric {
  runId: string;
  name: string;
  kind: MetricKind;
  step: number | null;
  value: unknown;
  description: string | null;
  ts: number;
}

interface MetricRow {
  name: string;
  kind: MetricKind;
  step: number | null;
  value: number | null;
  value_json: string | null;
  ts: number;
}

const decode = (r: MetricRow): unknown => (r.value_json !== null ? JSON.parse(r.value_json) : r.value);

interface SeriesTally {
  runId: string;
  name: string;
  count: number;
  min: number | null;
  max: number | null;
  first: number;
  last: number;
}

export class MetricStore extends Table {

  /** Adds points and, in the same transaction, each series' summary (count, range, last point). */
  insert(points: NewMetric[]): void {
    if (!points.length) return;
    this.db.transaction(() => {
      const tallies = new Map<string, SeriesTally>();
      let t: SeriesTally | undefined;
      for (const p of points) {
        const numeric = p.kind === 'scalar' && typeof p.value === 'number' && Number.isFinite(p.value);
        const id = Number(
          this.sql('INSERT INTO metrics (run_id, name, kind, step, value, value_json, description, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
            p.runId, p.name, p.kind, p.step, numeric ? (p.value as number) : null,
            numeric ? null : JSON.stringify(p.value ?? null), p.description, p.ts,
          ).lastInsertRowid,
        );
        // A series mostly arrives point after point: the previous tally is usually this one.
        if (t?.runId !== p.runId || t.name !== p.name) {
          const key = `${p.runId}\0${p.name}`;
          t = tallies.get(key);
          if (!t) tallies.set(key, (t = { runId: p.runId, name: p.name, count: 0, min: null, max: null, first: id, last: id }));
        }
        t.count++;
        t.last = id;
        if (numeric) {
          const v = p.value as number;
          if (t.min === null || v < t.min) t.min = v;
          if (t.max === null || v > t.max) t.max = v;
        }
      }
      // SQLite's two-argument min() is NULL when either is: a range without numbers stays NULL.
      const tally = this.sql(
        `INSERT INTO metric_summaries (run_id, name, count, min, max, first_id, last_id) VALUES (@runId, @name, @count, @min, @max, @first, @last)
         ON CONFLICT (run_id, name) DO UPDATE SET count = count + excluded.count,
           min = min(coalesce(min, excluded.min), coalesce(excluded.min, min)),
           max = max(coalesce(max, excluded.max), coalesce(excluded.max, max)),
           last_id = excluded.last_id`,
      );
      for (const t of tallies.values()) tally.run(t);
    })();
  }

  /**
   * What a run record carries (bounded, whatever was logged): a metric logged once is its value,
   * a list or a table the last one logged, a series or rows a MetricSummary.
   */
  recordValues(runId: string): MetricValues {
    const out: MetricValues = Object.create(null);
    const record = this.sql(
      `SELECT s.name, s.count, s.min, s.max, m.kind, m.step, m.value, m.value_json, m.ts
       FROM metric_summaries s JOIN metrics m ON m.id = s.last_id WHERE s.run_id = ? ORDER BY s.first_id`,
    );
    for (const r of record.iterate(runId) as IterableIterator<MetricRow & { count: number; min: number | null; max: number | null }>) {
      const last = decode(r);
      if (r.kind === 'list' || r.kind === 'table' || (r.count === 1 && r.kind !== 'row')) out[r.name] = last;
      else out[r.name] = { count: r.count, last, min: r.min, max: r.max } satisfies MetricSummary;
    }
    return out;
  }

  /** How many points one metric of a run has, and its kind (its last point's); undefined when it has none. */
  series(runId: string, name: string): { count: number; kind: MetricKind } | undefined {
    return this
      .sql('SELECT s.count, m.kind FROM metric_summaries s JOIN metrics m ON m.id = s.last_id WHERE s.run_id = ? AND s.name = ?')
      .get(runId, name) as { count: number; kind: MetricKind } | undefined;
  }

  /** Points `offset` to `offset + limit - 1` of one metric, in the order they were logged. */
  page(runId: string, name: string, offset: number, limit: number): MetricPoint[] {
    const rows = this
      .sql('SELECT name, kind, step, value, value_json, ts FROM metrics WHERE run_id = ? AND name = ? ORDER BY id LIMIT ? OFFSET ?')
      .all(runId, name, limit, offset) as MetricRow[];
    return rows.map((r) => ({ name: r.name, kind: r.kind, step: r.step, value: decode(r), ts: r.ts }));
  }

  /**
   * Azure `get_metrics()` semantics, unbounded: logged once -> the value; a series -> the list of
   * every value. For the SDK's get_metrics; run records carry recordValues() instead.
   */
  summary(runId: string): MetricValues {
    const byName = new Map<string, MetricRow[]>();
    for (const r of this.sql('SELECT name, kind, step, value, value_json, ts FROM metrics WHERE run_id = ? ORDER BY id').iterate(runId) as IterableIterator<MetricRow>) {
      let list = byName.get(r.name);
      if (!list) byName.set(r.name, (list = []));
      list.push(r);
    }
    // No prototype: a metric logged as "__proto__" is a metric like any other.
    const out: MetricValues = Object.create(null);
    for (const [name, rows] of byName) {
      const last = rows[rows.length - 1];
      if (last.kind === 'list' || last.kind === 'table') out[name] = decode(last);
      else if (rows.length === 1 && last.kind !== 'row') out[name] = decode(last);
      else out[name] = rows.map(decode);
    }
    return out;
  }

  points(runId: string, name: string): MetricPoint[] {
    const rows = this.sql('SELECT name, kind, step, value, value_json, ts FROM metrics WHERE run_id = ? AND name = ? ORDER BY id')
      .all(runId, name) as MetricRow[];
    return rows.map((r) => ({ name: r.name, kind: r.kind, step: r.step, value: decode(r), ts: r.ts }));
  }

  /**
   * When every point of a metric is a plain number (scalar kind, no JSON value), its ids and
   * values as flat arrays (cheap even for 100,000 points); otherwise undefined.
   */
  numericSeries(runId: string, name: string): { ids: number[]; values: number[] } | undefined {
    // One column per query (pluck) is several times cheaper than rows of objects; a point that is
    // not a plain number reads as null and sends the caller down the general path.
    const values = this.sql(`SELECT CASE WHEN kind = 'scalar' AND value_json IS NULL THEN value END FROM metrics WHERE run_id = ? AND name = ? ORDER BY id`)
      .pluck()
      .all(runId, name) as (number | null)[];
    if (!values.length || values.includes(null)) return undefined;
    const ids = this.sql('SELECT id FROM metrics WHERE run_id = ? AND name = ? ORDER BY id').pluck().all(runId, name) as number[];
    return { ids, values: values as number[] };
  }

  /** Points by row id, in id order (the ones a downsampling kept). */
  pointsById(ids: number[]): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.sql(`SELECT name, kind, step, value, value_json, ts FROM metrics WHERE id IN (${chunk.map(() => '?').join(',')}) ORDER BY id`)
        .all(...chunk) as MetricRow[];
      for (const r of rows) out.push({ name: r.name, kind: r.kind, step: r.step, value: decode(r), ts: r.ts });
    }
    return out;
  }

  count(runId: string): number {
    return (this.sql('SELECT COUNT(*) AS n FROM metrics WHERE run_id = ?').get(runId) as { n: number }).n;
  }
}
