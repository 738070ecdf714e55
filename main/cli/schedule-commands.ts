// `millrace schedule preview` (DESIGN.md sections 6 and 8); create/list/enable/disable/delete/runs are in schedule-manage-commands.ts.
import type { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { WEEK_DAYS } from '../../shared/schedules.js';
import { formatInZone, nextFireTimes, resolveDateTime, validateRecurrence } from '../schedules/recurrence.js';
import { offsetAt } from '../schedules/zone.js';
import type { GlobalOptions } from './context.js';
import { out, printJson } from './output.js';
import { registerScheduleManageCommands } from './schedule-manage-commands.js';

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

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('run published pipelines on a recurrence, a cron or a data change (DESIGN.md section 8)');
  registerScheduleManageCommands(schedule);
  addRecurrenceOptions(schedule.command('preview'))
    .description('print the next fire times of a recurrence, without creating anything')
    .option('--from <iso>', 'list fire times at or after this instant; without an offset it is local to --time-zone (default: now)')
    .option('-n, --count <n>', 'how many fire times', '10')
    .option('--json', 'print a JSON array of ISO-8601 strings')
    .action((o: RecurrenceFlags & { from?: string; count: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const rec = recurrenceFromFlags(o);
      const n = Number(o.count);
      if (!/^\d+$/.test(o.count.trim()) || n < 1 || n > 1000) throw new UserError(`--count: expected a whole number from 1 to 1000, got '${o.count}'`, 'bad_usage');
      let from: Date;
      try {
        from = o.from === undefined ? new Date(Math.floor(Date.now() / 1000) * 1000) : resolveDateTime(o.from, rec.timeZone);
      } catch (e) {
        throw new UserError(`--from: ${(e as Error).message}`, 'bad_usage');
      }
      const times = nextFireTimes(rec, from, n);
      if (g.json) return printJson(times.map((t) => formatInZone(t, rec.timeZone)));
      let prev: number | undefined;
      for (const t of times) {
        const offset = offsetAt(t.getTime(), rec.timeZone);
        out(`${formatInZone(t, rec.timeZone)}${prev !== undefined && offset !== prev ? ' (DST change)' : ''}`);
        prev = offset;
      }
    });
}
