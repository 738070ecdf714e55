// Run search clauses (shared/search/run-filter.ts) as SQL over `runs r`: every value bound as a
// parameter, never written into the SQL. A metric is the last numeric value logged on the run or
// one of its steps (what the runs table's metric columns show); a parameter or tag is read from
// the run's JSON column, compared as a number against numbers and as text against text.
import type { Attribute, FilterClause, FilterValue } from '../../shared/search/run-filter.js';

export interface Sql {
  sql: string;
  args: unknown[];
}

/** The last numeric value of metric `?` on run r or its steps. */
export const LAST_METRIC_SQL = `(SELECT m.value FROM metrics m WHERE m.name = ? AND m.value IS NOT NULL
  AND m.run_id IN (SELECT s.id FROM runs s WHERE s.parent_id = r.id UNION ALL SELECT r.id) ORDER BY m.id DESC LIMIT 1)`;

/** A JSON path for one key, quoted (a key may hold dots or spaces); a '"' cannot be quoted in SQLite's paths. */
export function jsonPath(key: string): string {
  if (key.includes('"')) throw new Error('a key holding a double quote cannot be searched');
  return `$."${key}"`;
}

/** A parameter's or tag's value as text: true/false as words, numbers as SQLite writes them. */
const jsonText = (col: string) =>
  `(CASE json_type(${col}, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(${col}, ?) AS TEXT) END)`;

/** MLflow's LIKE is case-sensitive: SQLite's GLOB is; % and _ become * and ?, glob's own specials are escaped. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i];
      out += n === '*' || n === '?' || n === '[' ? `[${n}]` : n;
    } else if (c === '%') out += '*';
    else if (c === '_') out += '?';
    else if (c === '*' || c === '?' || c === '[') out += `[${c}]`;
    else out += c;
  }
  return out;
}

/** `expr` compared with text values (=, !=, LIKE, ILIKE, IN and their negations). */
function textCompare(expr: Sql, c: FilterClause): Sql {
  const vals = (Array.isArray(c.value) ? c.value : [c.value]).map((v) => String(v));
  const e = expr.sql;
  const a = (...extra: unknown[]) => [...expr.args, ...extra];
  switch (c.op) {
    case 'IS NULL':
      return { sql: `${e} IS NULL`, args: a() };
    case 'IS NOT NULL':
      return { sql: `${e} IS NOT NULL`, args: a() };
    case 'LIKE':
      return { sql: `${e} GLOB ?`, args: a(likeToGlob(vals[0])) };
    case 'NOT LIKE':
      return { sql: `NOT (${e} GLOB ?)`, args: a(likeToGlob(vals[0])) };
    case 'ILIKE':
      return { sql: `${e} LIKE ? ESCAPE '\\'`, args: a(vals[0]) };
    case 'NOT ILIKE':
      return { sql: `NOT (${e} LIKE ? ESCAPE '\\')`, args: a(vals[0]) };
    case 'IN':
      return { sql: `${e} IN (${vals.map(() => '?').join(', ')})`, args: a(...vals) };
    case 'NOT IN':
      return { sql: `${e} NOT IN (${vals.map(() => '?').join(', ')})`, args: a(...vals) };
    default:
      return { sql: `${e} ${c.op} ?`, args: a(vals[0]) };
  }
}

/** `expr` compared with one number (metrics, numeric parameters, numeric attributes). */
function numberCompare(expr: Sql, c: FilterClause, value: number): Sql {
  const op = c.op === 'IN' ? '=' : c.op === 'NOT IN' ? '!=' : c.op;
  return { sql: `${expr.sql} ${op} ?`, args: [...expr.args, value] };
}

const anyOf = (parts: Sql[], joiner: 'OR' | 'AND'): Sql =>
  parts.length === 1 ? parts[0] : { sql: `(${parts.map((p) => p.sql).join(` ${joiner} `)})`, args: parts.flatMap((p) => p.args) };

function eachValue(c: FilterClause, one: (v: FilterValue, c: FilterClause) => Sql): Sql {
  if (!Array.isArray(c.value)) return one(c.value!, c);
  const negated = c.op === 'NOT IN';
  return anyOf(c.value.map((v) => one(v, { ...c, op: negated ? '!=' : '=', value: v })), negated ? 'AND' : 'OR');
}

/** A parameter compared with a value of its type: numbers as numbers, true/false as booleans, text as text. */
function paramClause(col: string, c: FilterClause): Sql {
  const path = jsonPath(c.key);
  if (c.op === 'IS NULL' || c.op === 'IS NOT NULL') return { sql: `json_type(${col}, ?) ${c.op}`, args: [path] };
  if (c.op.includes('LIKE')) return textCompare({ sql: jsonText(col), args: [path, path] }, c);
  return eachValue(c, (v, cc) => {
    if (typeof v === 'number') {
      const cmp = numberCompare({ sql: `json_extract(${col}, ?)`, args: [path] }, cc, v);
      return { sql: `(json_type(${col}, ?) IN ('integer', 'real') AND ${cmp.sql})`, args: [path, ...cmp.args] };
    }
    if (typeof v === 'boolean') {
      const word = v ? 'true' : 'false';
      return cc.op === '!=' ? { sql: `(json_type(${col}, ?) IN ('true', 'false') AND json_type(${col}, ?) != ?)`, args: [path, path, word] } : { sql: `json_type(${col}, ?) = ?`, args: [path, word] };
    }
    return textCompare({ sql: jsonText(col), args: [path, path] }, cc);
  });
}

const ATTRIBUTE_SQL: Record<Exclude<Attribute, 'created' | 'duration'>, string> = {
  id: 'r.id',
  name: 'r.run_name',
  status: 'r.status',
  pipeline: 'r.name',
  // Correlated, not a join: a COUNT(*) of the same WHERE stays join-free.
  experiment: '(SELECT name FROM experiments WHERE id = r.experiment_id)',
  trigger: 'r.trigger_kind',
  description: 'r.description',
  endpoint: "json_extract(r.trigger_info, '$.pipelineEndpoint')",
  published: "json_extract(r.trigger_info, '$.publishedPipelineId')",
  schedule: "json_extract(r.trigger_info, '$.schedule')",
};

function attributeClause(c: FilterClause, now: number): Sql {
  if (c.key === 'created' || c.key === 'duration') {
    const expr: Sql = c.key === 'created' ? { sql: 'r.created_at', args: [] } : { sql: '(COALESCE(r.ended_at, ?) - r.started_at)', args: [now] };
    return eachValue(c, (v, cc) => numberCompare(expr, cc, typeof v === 'number' ? v : Date.parse(String(v))));
  }
  return textCompare({ sql: ATTRIBUTE_SQL[c.key as keyof typeof ATTRIBUTE_SQL], args: [] }, c);
}

/** One WHERE condition per clause (all must hold). `now`: what a running run's duration counts to. */
export function filterSql(clauses: FilterClause[], now = Date.now()): Sql[] {
  return clauses.map((c) => {
    switch (c.kind) {
      case 'metrics':
        if (c.op === 'IS NULL' || c.op === 'IS NOT NULL') return { sql: `${LAST_METRIC_SQL} ${c.op}`, args: [c.key] };
        return eachValue(c, (v, cc) => numberCompare({ sql: LAST_METRIC_SQL, args: [c.key] }, cc, v as number));
      case 'params':
        return paramClause('r.parameters', c);
      case 'tags':
        return paramClause('r.tags', c);
      case 'attributes':
        return attributeClause(c, now);
    }
  });
}
