// Schedule recurrences (DESIGN.md section 8): Azure's ScheduleRecurrence, or a cron expression, in an IANA zone.
// Pure: no Node, no DOM. Zone names are checked with Intl, which every runtime we target has.
import { z } from 'zod';
import { UserError } from './errors.js';
import type { Trigger } from './types.js';
import { schemaProblems } from './zod-issues.js';

export const FREQUENCIES = ['Minute', 'Hour', 'Day', 'Week', 'Month'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** In this order: index 0 is Monday (weeks start on Monday, as RFC 5545's default WKST=MO). */
export const WEEK_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

/** Data-change schedules: one run per changed file (Azure's behaviour), or one per burst of changes. */
export const DATA_CHANGE_MODES = ['perFile', 'batch'] as const;
export type DataChangeMode = (typeof DATA_CHANGE_MODES)[number];

/** True when the runtime knows this IANA zone name (e.g. `Europe/Berlin`, `UTC`). */
export function isTimeZone(name: string): boolean {
  // Offsets like "+01:00" are not zone names (no DST rules), even where Intl accepts them.
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An ISO-8601 date-time split into its wall-clock fields and its offset (null: local to the schedule's zone). */
export interface IsoDateTime {
  /** Wall-clock time as if it were UTC ("naive" milliseconds since the epoch). */
  naive: number;
  /** Offset in minutes east of UTC, or null when the text has none. */
  offsetMinutes: number | null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses `2026-03-29T06:30`, `...:00`, `...:00.123`, `...Z`, `...+02:00` or a bare date; undefined when malformed. */
export function parseIsoDateTime(text: string): IsoDateTime | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes: number | null = null;
  if (m[8]) {
    const off = m[8].toUpperCase() === 'Z' ? '+0000' : m[8].replace(':', '');
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(3, 5));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return { naive: naiveMs(y, mo, d, h, mi, s, ms), offsetMinutes };
}

/** Milliseconds of a wall-clock time treated as UTC; months are 1-based. Safe for years below 100. */
export function naiveMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

export function daysInMonth(y: number, mo: number): number {
  return new Date(naiveMs(y, mo + 1, 0)).getUTCDate();
}

const timeZone = z
  .string({ error: 'expected an IANA time zone name, e.g. Europe/Berlin' })
  .refine(isTimeZone, { error: (iss) => `unknown time zone '${String(iss.input)}' (expected an IANA name such as Europe/Berlin or UTC)` });
const startTime = z
  .string({ error: 'expected an ISO-8601 date-time' })
  .refine((s) => parseIsoDateTime(s) !== undefined, {
    error: (iss) => `expected an ISO-8601 date-time such as 2026-03-29T06:30:00 or 2026-03-29T06:30:00+02:00, got '${String(iss.input)}'`,
  });
const intList = (field: string, max: number) =>
  z
    .array(z.int({ error: `each ${field} value must be an integer from 0 to ${max}` }).min(0, `each ${field} value must be from 0 to ${max}`).max(max, `each ${field} value must be from 0 to ${max}`))
    .min(1, `give at least one ${field} value`);

export const frequencyRecurrenceSchema = z
  .strictObject({
    frequency: z.enum(FREQUENCIES, { error: `expected one of ${FREQUENCIES.join(', ')}` }),
    interval: z.int({ error: 'expected a whole number of at least 1' }).min(1, 'expected a whole number of at least 1').default(1),
    startTime: startTime.optional(),
    timeZone,
    hours: intList('hour', 23).optional(),
    minutes: intList('minute', 59).optional(),
    weekDays: z.array(z.enum(WEEK_DAYS, { error: `expected day names: ${WEEK_DAYS.join(', ')}` })).min(1, 'give at least one week day').optional(),
  })
  .superRefine((r, ctx) => {
    // As Azure: a time of day only for Day and Week, week days only for Week; Month repeats the start's day and time.
    if (r.hours && r.frequency !== 'Day' && r.frequency !== 'Week') ctx.addIssue({ code: 'custom', path: ['hours'], message: `only allowed with frequency Day or Week, not ${r.frequency}` });
    if (r.minutes && r.frequency !== 'Day' && r.frequency !== 'Week') ctx.addIssue({ code: 'custom', path: ['minutes'], message: `only allowed with frequency Day or Week, not ${r.frequency}` });
    if (r.weekDays && r.frequency !== 'Week') ctx.addIssue({ code: 'custom', path: ['weekDays'], message: `only allowed with frequency Week, not ${r.frequency}` });
  });

export const cronRecurrenceSchema = z.strictObject({
  // Full syntax is checked by the cron library in main/; here only its shape (5-7 fields or an @nickname).
  cron: z
    .string({ error: 'expected a cron expression such as "30 6 * * 1-5"' })
    .refine((c) => /^@[a-z]+$/i.test(c.trim()) || [5, 6, 7].includes(c.trim().split(/\s+/).length), {
      error: (iss) => `expected 5 fields (minute hour day-of-month month day-of-week), got '${String(iss.input)}'`,
    }),
  timeZone,
  startTime: startTime.optional(),
});

export const recurrenceSchema = z.union([frequencyRecurrenceSchema, cronRecurrenceSchema]);
export type FrequencyRecurrence = z.infer<typeof frequencyRecurrenceSchema>;
export type CronRecurrence = z.infer<typeof cronRecurrenceSchema>;
export type Recurrence = FrequencyRecurrence | CronRecurrence;

export const isCron = (r: Recurrence): r is CronRecurrence => 'cron' in r;

/**
 * Checks a recurrence (from JSON, YAML or CLI flags) and returns it with defaults filled in.
 * Throws a UserError with one line per problem, each naming its field (`label` renames fields, e.g. to CLI flags).
 */
export function parseRecurrence(input: unknown, label: (field: string) => string = (f) => f): Recurrence {
  const obj = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  if ('cron' in obj && 'frequency' in obj) {
    throw new UserError('invalid recurrence', 'invalid_recurrence', [`${label('cron')}: give either a cron expression or a frequency, not both`]);
  }
  if (!('cron' in obj) && !('frequency' in obj)) {
    throw new UserError('invalid recurrence', 'invalid_recurrence', [`${label('frequency')}: give a frequency (${FREQUENCIES.join(', ')}) or a cron expression`]);
  }
  const schema = 'cron' in obj ? cronRecurrenceSchema : frequencyRecurrenceSchema;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = schemaProblems(parsed.error.issues, { unknownKey: () => 'not a recurrence field' }).map((p) => {
    const field = p.path.length ? label(String(p.path[0])) + p.path.slice(1).map((x) => `[${String(x)}]`).join('') : 'recurrence';
    return `${field}: ${p.message}`;
  });
  throw new UserError('invalid recurrence', 'invalid_recurrence', lines);
}

/** What starts a schedule's runs: a recurrence (or cron), or files changing under a datastore path. */
export const SCHEDULE_KINDS = ['recurrence', 'dataChange'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/**
 * The published pipeline a schedule submits: a fixed published id, or an endpoint (its default, or a
 * version). `endpointId` is recorded since schedules are addressed by endpoint id too (older records lack it).
 */
export type ScheduleTarget = { publishedId: string } | { endpointName: string; endpointId?: string; version?: string };

export interface DataChangeSpec {
  datastore: string;
  /** Relative to the datastore, `/`-separated; '' is the datastore's root. */
  pathOnDatastore: string;
  glob?: string;
  mode: DataChangeMode;
  /** The `path` parameter that receives the changed file's path (relative to the datastore). */
  dataPathParameterName?: string;
  polling: boolean;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  kind: ScheduleKind;
  target: ScheduleTarget;
  experiment: string;
  parameters: Record<string, string | number | boolean>;
  recurrence: Recurrence | null;
  dataChange: DataChangeSpec | null;
  enabled: boolean;
  catchUp: boolean;
  description: string | null;
  /** Overrides the published pipeline's default for the runs it starts (null: that default). */
  continueOnStepFailure: boolean | null;
  /** The SDK's polling interval in minutes: recorded, never used. */
  pollingInterval: number | null;
  /** The last fire time handled (fired, caught up or skipped), ISO in the schedule's zone. */
  lastFireTime: string | null;
  /** Recurrence schedules that are enabled: the next fire time. */
  nextFireTime: string | null;
  createdAt: string;
  updatedAt: string;
  /** The newest run it started (API records; the CLI's --json leaves it out). */
  lastRun?: { id: string; shortId: string; status: string; createdAt: string } | null;
}

/** A run a schedule started, as `schedule runs` lists it. */
export interface ScheduleRunRecord {
  id: string;
  /** The shortest unique prefix of `id` (as runs show it). */
  shortId: string;
  status: string;
  createdAt: string;
  endedAt: string | null;
  /** A schedule trigger: `{kind: 'schedule', schedule, fireTime}` or `{kind: 'dataChange', schedule, path, hash}` (+ ids). */
  trigger: Trigger;
}
