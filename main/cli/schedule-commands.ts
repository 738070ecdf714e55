// `millrace schedule preview` (DESIGN.md sections 6 and 8); create/list/enable/disable/delete/runs are in schedule-manage-commands.ts.
import type { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { formatInZone, nextFireTimes, resolveDateTime } from '../schedules/recurrence.js';
import { offsetAt } from '../schedules/zone.js';
import type { GlobalOptions } from './context.js';
import { out, printJson } from './output.js';
import { addRecurrenceOptions, recurrenceFromFlags, type RecurrenceFlags } from './recurrence-flags.js';
import { registerScheduleManageCommands } from './schedule-manage-commands.js';

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('run published pipelines on a recurrence, a cron or a data change');
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
