// Fire times of a schedule's recurrence (DESIGN.md section 8). Pure: no I/O, no timers; the caller passes "now".
//
// Semantics (docs/schedules.md has examples):
// - Every fire time is >= the start time and >= `from`; without a start time the start is `from`.
// - Minute and Hour step in elapsed time from the start (so local clock labels jump across DST).
// - Day, Week and Month keep the local wall-clock time in the schedule's zone (RFC 5545 RRULE with DTSTART = start).
// - A wall-clock time inside a spring-forward gap fires at the first instant after the gap; one that a fall-back
//   repeats fires once, at its first occurrence. Candidates that land on the same instant fire once.
import type { Cron } from 'croner';
import { createRequire } from 'node:module';
import { UserError } from '../../shared/errors.js';
import {
  daysInMonth,
  isCron,
  naiveMs,
  parseIsoDateTime,
  parseRecurrence,
  WEEK_DAYS,
  type CronRecurrence,
  type FrequencyRecurrence,
  type Recurrence,
} from '../../shared/schedules.js';
import { DAY_MS, fromNaive, offsetAt, toNaive } from './zone.js';

export type { Recurrence } from '../../shared/schedules.js';
export { formatInZone } from './zone.js';

const HOUR_MS = 3_600_000;
/** How many empty periods (e.g. months without a 31st) to look through before concluding nothing ever fires. */
const MAX_EMPTY_PERIODS = 10_000;

/** The full check of a recurrence: the shared schema plus the cron syntax (croner's parser). Throws a UserError. */
export function validateRecurrence(input: unknown, label: (field: string) => string = (f) => f): Recurrence {
  const rec = parseRecurrence(input, label);
  if (isCron(rec)) {
    try {
      cronOf(rec);
    } catch (e) {
      throw new UserError('invalid recurrence', 'invalid_recurrence', [`${label('cron')}: ${(e as Error).message.replace(/^CronPattern: /, '')}`]);
    }
  }
  return rec;
}

/**
 * An ISO-8601 date-time as an instant. Without an offset it is a wall-clock time in `tz`, read with the gap and
 * fall-back rules above (Azure reads a start time without offset in the schedule's zone too).
 */
export function resolveDateTime(text: string, tz: string): Date {
  const p = parseIsoDateTime(text);
  if (!p) throw new UserError(`expected an ISO-8601 date-time such as 2026-03-29T06:30:00+02:00, got '${text}'`, 'invalid_input');
  return new Date(p.offsetMinutes === null ? fromNaive(p.naive, tz) : p.naive - p.offsetMinutes * 60_000);
}

/** The next `n` fire times at or after `from`, in order. Expects a recurrence that passed `validateRecurrence`. */
export function nextFireTimes(rec: Recurrence, from: Date, n: number): Date[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const start = rec.startTime ? resolveDateTime(rec.startTime, rec.timeZone).getTime() : from.getTime();
  const lower = Math.max(start, from.getTime());
  if (n === 0) return [];
  if (isCron(rec)) return cronTimes(rec, lower, n);
  if (rec.frequency === 'Minute' || rec.frequency === 'Hour') {
    const step = rec.interval * (rec.frequency === 'Minute' ? 60_000 : HOUR_MS);
    const k0 = Math.max(0, Math.ceil((lower - start) / step));
    return Array.from({ length: n }, (_, i) => new Date(start + (k0 + i) * step));
  }
  return calendarTimes(rec, start, lower, n);
}

/** Day, Week, Month: walk the periods (days, weeks, months) counted from the start, in local wall-clock time. */
function calendarTimes(rec: FrequencyRecurrence, start: number, lower: number, n: number): Date[] {
  const tz = rec.timeZone;
  const startNaive = toNaive(start, tz);
  const startDay = Math.floor(startNaive / DAY_MS); // local calendar day number (days since 1970-01-01)
  const startTod = startNaive - startDay * DAY_MS;
  // Times of day in ms after local midnight: hours x minutes when given (the missing one taken from the start),
  // otherwise the start's own time of day (seconds included).
  const tods =
    rec.hours || rec.minutes
      ? [...new Set((rec.hours ?? [Math.floor(startTod / HOUR_MS)]).flatMap((h) => (rec.minutes ?? [Math.floor((startTod % HOUR_MS) / 60_000)]).map((m) => h * HOUR_MS + m * 60_000)))].sort((a, b) => a - b)
      : [startTod];
  const lowerDay = Math.floor(toNaive(lower, tz) / DAY_MS);

  // Local days (naive midnights) that belong to period k, in order.
  let firstPeriod: number;
  let daysOf: (k: number) => number[];
  if (rec.frequency === 'Day') {
    firstPeriod = Math.floor((lowerDay - startDay) / rec.interval);
    daysOf = (k) => [startDay + k * rec.interval];
  } else if (rec.frequency === 'Week') {
    const weekday = (day: number) => (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Monday = 0
    const startMonday = startDay - weekday(startDay);
    const wanted = rec.weekDays ? [...new Set(rec.weekDays.map((d) => WEEK_DAYS.indexOf(d)))].sort((a, b) => a - b) : [weekday(startDay)];
    firstPeriod = Math.floor((lowerDay - startMonday) / (7 * rec.interval));
    daysOf = (k) => wanted.map((w) => startMonday + k * 7 * rec.interval + w);
  } else {
    // Month: the start's day of month; months without it are skipped, not moved (RFC 5545 drops invalid dates).
    const s = new Date(startNaive);
    const startMonths = s.getUTCFullYear() * 12 + s.getUTCMonth();
    const dom = s.getUTCDate();
    const l = new Date(lowerDay * DAY_MS);
    firstPeriod = Math.floor((l.getUTCFullYear() * 12 + l.getUTCMonth() - startMonths) / rec.interval);
    daysOf = (k) => {
      const months = startMonths + k * rec.interval;
      const y = Math.floor(months / 12);
      const m = months - y * 12 + 1;
      return dom <= daysInMonth(y, m) ? [naiveMs(y, m, dom) / DAY_MS] : [];
    };
  }

  const out: Date[] = [];
  let last = -Infinity;
  let empty = 0;
  // One period early: a candidate's instant can sit up to a day's offset change before its local day.
  for (let k = Math.max(0, firstPeriod - 1); out.length < n && empty < MAX_EMPTY_PERIODS; k++) {
    const before = out.length;
    for (const day of daysOf(k)) {
      for (const tod of tods) {
        const t = fromNaive(day * DAY_MS + tod, tz);
        if (t < lower || t <= last) continue; // before the start/from, or a second candidate for the same instant
        out.push(new Date(t));
        last = t;
        if (out.length === n) return out;
      }
    }
    empty = out.length > before ? 0 : empty + 1;
  }
  return out;
}

/** Cron matches wall-clock times, so croner walks naive time (offset 0) and each match is placed in the zone by fromNaive. */
function cronTimes(rec: CronRecurrence, lower: number, n: number): Date[] {
  const tz = rec.timeZone;
  const job = cronOf(rec);
  // Start a little early when the clocks sprang forward within the last day, so that gap times shifted to the
  // transition instant (possibly == lower) are not skipped; the `t < lower` filter drops whatever is too early.
  const jump = Math.max(0, offsetAt(lower, tz) - offsetAt(lower - DAY_MS, tz));
  let cursor = toNaive(lower, tz) - jump - 1;
  const out: Date[] = [];
  let last = -Infinity;
  while (out.length < n) {
    const next = job.nextRun(new Date(cursor));
    if (!next) break; // the expression never matches again
    cursor = next.getTime();
    const t = fromNaive(cursor, tz);
    if (t < lower || t <= last) continue;
    out.push(new Date(t));
    last = t;
  }
  return out;
}

// Loaded on first use: commands without a cron never pay for it (issue 13).
const load = createRequire(import.meta.url);
let CronClass: typeof Cron | undefined;

function cronOf(rec: CronRecurrence): Cron {
  CronClass ??= (load('croner') as { Cron: typeof Cron }).Cron;
  return new CronClass(rec.cron.trim(), { utcOffset: 0, paused: true }); // UTC without DST rules: naive time
}
