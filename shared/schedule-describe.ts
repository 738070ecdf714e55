// A schedule in words, the same in the studio and the CLI: "every day at 06:30 (Europe/Berlin)",
// "cron 30 6 * * 1-5 (UTC)", "when files change under default:landing matching *.csv, one run per
// file"; and a fire time relative to now: "in 5 min", "in 2 h 10 min", "in 3 days".
import type { DataChangeSpec, Recurrence } from './schedules.js';

const two = (n: number) => String(n).padStart(2, '0');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "06:30", "06:00 and 18:30": every combination of the hours and minutes, in order. */
function times(hours: number[] = [0], minutes: number[] = [0]): string {
  const all = [...hours].sort((a, b) => a - b).flatMap((h) => [...minutes].sort((a, b) => a - b).map((m) => `${two(h)}:${two(m)}`));
  return all.length > 1 ? `${all.slice(0, -1).join(', ')} and ${all.at(-1)}` : all[0];
}

const list = (xs: readonly string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : (xs[0] ?? ''));

export function describeRecurrence(r: Recurrence): string {
  if ('cron' in r) return `cron ${r.cron} (${r.timeZone})`;
  const unit = r.frequency.toLowerCase();
  const every = r.interval === 1 ? `every ${unit}` : `every ${plural(r.interval, unit)}`;
  const days = r.frequency === 'Week' && r.weekDays?.length ? ` on ${list(r.weekDays)}` : '';
  const at = (r.frequency === 'Day' || r.frequency === 'Week') && (r.hours || r.minutes) ? ` at ${times(r.hours, r.minutes)}` : '';
  // The start anchors the interval; a daily or weekly time of day needs none (it is the creation time then).
  const anchored = !((r.frequency === 'Day' || r.frequency === 'Week') && r.interval === 1 && (r.hours || r.minutes));
  const from = r.startTime && anchored ? `, from ${r.startTime.replace('T', ' ')}` : '';
  return `${every}${days}${at}${from} (${r.timeZone})`;
}

export function describeDataChange(d: DataChangeSpec): string {
  const where = `${d.datastore}:${d.pathOnDatastore || '/'}`;
  const glob = d.glob ? ` matching ${d.glob}` : '';
  const mode = d.mode === 'perFile' ? 'one run per file' : 'one run per burst of changes';
  return `when files change under ${where}${glob}, ${mode}${d.polling ? ' (polling)' : ''}`;
}

/** What fires a schedule, in words. */
export function describeSchedule(s: { recurrence: Recurrence | null; dataChange: DataChangeSpec | null }): string {
  if (s.dataChange) return describeDataChange(s.dataChange);
  return s.recurrence ? describeRecurrence(s.recurrence) : 'never';
}

/** A fire time relative to `now` (ms): "in 45 s", "in 5 min", "in 2 h 10 min", "in 3 days"; "now" when due. */
export function untilText(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return '';
  if (ms <= 0) return 'now';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `in ${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `in ${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `in ${Math.round(h / 24)} days`;
}
