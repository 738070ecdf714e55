// Metric points of runs. Inserted in batches (a step may log 100,000 points).
import type { MetricKind } from '../../shared/constants.js';
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

export class MetricStore extends Table {


  insert(points: NewMetric[]): void {
    if (!points.length) return;
    this.db.transaction(() => {
      for (const p of points) {
        const numeric = p.kind === 'scalar' && typeof p.value === 'number' && Number.isFinite(p.value);
        this.sql('INSERT INTO metrics (run_id, name, kind, step, value, value_json, description, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',).run(
          p.runId, p.name, p.kind, p.step, numeric ? (p.value as number) : null,
          numeric ? null : JSON.stringify(p.value ?? null), p.description, p.ts,
        );
      }
    })();
  }

  /** Azure `get_metrics()` semantics: logged once -> the value; a series -> the list of values. */
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
