// The recurrence flags of `schedule preview` and `schedule create`, and their validation.
import type { Command } from 'commander';
import { WEEK_DAYS } from '../../shared/schedules.js';
import { validateRecurrence } from '../schedules/recurrence.js';

/** The recurrence flags, shared with `schedule create`. */
export interface RecurrenceFlags {
  frequency?: string;
  interval?: string;
  startTime?: string;
  timeZone?: string;
  hours?: string;
  minutes?: string;
  weekDays?: string;
  cron?: string;
}

const FLAG_OF: Record<string, string> = {
  frequency: '--frequency',
  interval: '--interval',
  startTime: '--start-time',
  timeZone: '--time-zone',
  hours: '--hours',
  minutes: '--minutes',
  weekDays: '--week-days',
  cron: '--cron',
};
const flagOf = (field: string) => FLAG_OF[field] ?? field;

export function addRecurrenceOptions(cmd: Command): Command {
  return cmd
    .option('--frequency <f>', 'Minute, Hour, Day, Week or Month')
    .option('--interval <n>', 'every N minutes/hours/days/weeks/months (default 1)')
    .option('--start-time <iso>', 'first possible fire time; without an offset it is local to --time-zone (default: --from)')
    .option('--time-zone <iana>', 'IANA zone name, e.g. Europe/Berlin (default: the system zone)')
    .option('--hours <list>', 'Day/Week: hours of the day, comma separated (0-23)')
    .option('--minutes <list>', 'Day/Week: minutes of the hour, comma separated (0-59)')
    .option('--week-days <list>', `Week: day names, comma separated (${WEEK_DAYS.join(', ')})`)
    .option('--cron <expr>', 'a cron expression instead of a frequency, e.g. "30 6 * * 1-5"');
}

export const systemTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Flags -> a validated recurrence; problems are UserErrors naming the flag. */
export function recurrenceFromFlags(o: RecurrenceFlags) {
  const list = (v: string | undefined, map: (s: string) => unknown) => (v === undefined ? undefined : v.split(',').map((s) => map(s.trim())));
  const int = (s: string) => (/^-?\d+$/.test(s) ? Number(s) : s); // non-numbers stay strings so the schema names them
  const day = (s: string) => WEEK_DAYS.find((d) => d.toLowerCase() === s.toLowerCase()) ?? s;
  const input: Record<string, unknown> = {
    frequency: o.frequency,
    interval: o.interval === undefined ? undefined : int(o.interval.trim()),
    startTime: o.startTime,
    timeZone: o.timeZone ?? systemTimeZone(),
    hours: list(o.hours, int),
    minutes: list(o.minutes, int),
    weekDays: list(o.weekDays, day),
    cron: o.cron,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return validateRecurrence(input, flagOf);
}

