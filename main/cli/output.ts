// How the CLI prints: one JSON document on stdout with --json, human text otherwise.
import type { RunRecord } from '../../shared/types.js';
import { isMetricSummary } from '../../shared/metric-summary.js';

export const out = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const info = (text: string): void => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
export const printJson = (value: unknown): void => out(JSON.stringify(value, null, 2));

export function fmtDuration(ms: number | null): string {
  if (ms == null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m}m${Math.round((ms % 60_000) / 1000)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}

/** `a, b, c and 2997 more`: a list that may run to thousands kept to one readable line. */
export function summarizeList(items: readonly string[], shown = 5): string {
  if (items.length <= shown + 1) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

export function describeRun(r: RunRecord): string {
  const lines = [
    `Run ${r.id}  ${r.status}`,
    `  experiment  ${r.experiment}`,
    `  pipeline    ${r.pipeline}${r.pipelineFile ? ` (${r.pipelineFile})` : ''}`,
    `  trigger     ${r.trigger ? r.trigger.kind : '-'}`,
    `  created     ${r.createdAt}   duration ${fmtDuration(r.durationMs)}`,
  ];
  if (Object.keys(r.parameters).length) lines.push(`  parameters  ${Object.entries(r.parameters).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (r.error) lines.push(`  error       ${r.error}`);
  // Steps on a Slurm target show their job: id, Slurm's state and the node.
  const jobs = r.steps.some((s) => s.job);
  const job = (s: RunRecord['steps'][number]) => (s.job ? `${s.job.id} ${s.job.state ?? ''}${s.job.node ? ` on ${s.job.node}` : ''}` : '-');
  lines.push('', table([['STEP', 'STATUS', 'DURATION', ...(jobs ? ['SLURM JOB'] : []), 'NOTE'], ...r.steps.map((s) => [
    s.name, s.status, fmtDuration(s.durationMs), ...(jobs ? [job(s)] : []), s.reusedFrom ? `reused from ${s.reusedFrom}` : s.error ?? '',
  ])]).replace(/^/gm, '  '));
  const metrics = [...Object.entries(r.metrics).map(([k, v]) => ['(run)', k, v] as const), ...r.steps.flatMap((s) => Object.entries(s.metrics).map(([k, v]) => [s.name, k, v] as const))];
  if (metrics.length) {
    lines.push('', table([['STEP', 'METRIC', 'VALUE'], ...metrics.map(([s, k, v]) => [s, k, short(v)])]).replace(/^/gm, '  '));
  }
  return lines.join('\n');
}

function short(v: unknown): string {
  if (isMetricSummary(v)) return `${short(v.last)} (last of ${v.count}${v.min === null ? '' : `, min ${short(v.min)}, max ${short(v.max)}`})`;
  if (Array.isArray(v)) return v.length > 6 ? `[${v.slice(0, 3).map(short).join(', ')}, ... ${v.length} values, last ${short(v[v.length - 1])}]` : JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
  return JSON.stringify(v);
}
