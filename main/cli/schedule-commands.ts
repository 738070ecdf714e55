// `millrace schedule create|rename|list|enable|disable|delete|runs|preview` (DESIGN.md sections 6 and 8).
import type { Command } from 'commander';
import type { ScheduleRecord } from '../../shared/schedules.js';
import { UserError } from '../../shared/errors.js';
import { parseAssignments } from '../../shared/params.js';
import { describeSchedule } from '../../shared/schedule-describe.js';
import { info, out, printJson, table } from './output.js';
import { addRecurrenceOptions, recurrenceFromFlags, type RecurrenceFlags } from './recurrence-flags.js';
import { type GlobalOptions, type Session, withSession } from './session.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Call argument -> flag, for messages. */
const FLAGS = {
  name: '--name', pipeline: '--pipeline', pipelineVersion: '--pipeline-version', experiment: '--experiment', parameters: '-p',
  datastore: '--datastore', path: '--path', glob: '--glob', mode: '--mode', dataPathParameterName: '--data-path-parameter',
  'dataChange.datastore': '--datastore', 'dataChange.path': '--path', 'dataChange.glob': '--glob', 'dataChange.mode': '--mode',
  'dataChange.dataPathParameterName': '--data-path-parameter', frequency: '--frequency', cron: '--cron',
};

interface CreateFlags extends RecurrenceFlags {
  name: string;
  pipeline: string;
  pipelineVersion?: string;
  experiment: string;
  param: string[];
  catchUp?: boolean;
  datastore?: string;
  path?: string;
  glob?: string;
  mode?: string;
  dataPathParameter?: string;
  polling?: boolean;
  disabled?: boolean;
}

async function warnIfNobodyServes(s: Session): Promise<void> {
  if (!(await s.call('server/info', {})).served) info('Note: no millrace serve runs for this workspace; schedules fire once one does.');
}

/** What fires a schedule, in the words the studio uses (shared/schedule-describe.ts). */
const whatFires = (s: ScheduleRecord): string => describeSchedule(s);

const showOne = (s: ScheduleRecord, json?: boolean, verb?: string) => {
  if (json) return printJson(s);
  out(`${verb ? `${verb} ` : ''}schedule ${s.name} (${s.id}): ${s.enabled ? 'enabled' : 'disabled'}, ${whatFires(s)}${s.nextFireTime ? `, next ${s.nextFireTime}` : ''}`);
};

/** Flags that only make sense together, checked as flags before the core sees anything. */
function checkCreateFlags(o: CreateFlags): boolean {
  const hasRecurrence = o.frequency !== undefined || o.cron !== undefined;
  const dataFlags = o.path !== undefined || o.glob !== undefined || o.mode !== undefined || o.dataPathParameter !== undefined || o.polling;
  if (dataFlags && o.datastore === undefined) throw new UserError('--path, --glob, --mode, --data-path-parameter and --polling need --datastore', 'bad_usage');
  const stray = (['interval', 'startTime', 'timeZone', 'hours', 'minutes', 'weekDays'] as const).find((k) => o[k] !== undefined);
  if (stray && !hasRecurrence) throw new UserError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is a recurrence flag: give --frequency or --cron too`, 'bad_usage');
  if (o.catchUp && o.datastore !== undefined) throw new UserError('--catch-up is for recurrence schedules (changes made while nothing served are always found at start)', 'bad_usage');
  return hasRecurrence;
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('run published pipelines on a recurrence, a cron or a data change');
  addRecurrenceOptions(schedule.command('create'))
    .description('create a schedule that submits a published pipeline on a recurrence, a cron, or when data changes')
    .requiredOption('--name <name>', 'schedule name (unique in the workspace)')
    .requiredOption('--pipeline <id-or-endpoint>', 'published pipeline id, or pipeline endpoint name (its default version at each firing)')
    .option('--pipeline-version <v>', 'with an endpoint: always this version')
    .requiredOption('-e, --experiment <name>', 'experiment of the runs it starts')
    .option('-p, --param <NAME=VALUE>', 'a pipeline parameter (repeatable); checked against the published pipeline now', collect, [])
    .option('--catch-up', 'recurrence: run once at start for fire times missed while nothing served the workspace')
    .option('--datastore <name>', 'data change: watch this datastore...')
    .option('--path <path>', '...under this path (relative to the datastore; default: all of it)')
    .option('--glob <pattern>', 'data change: only files matching, e.g. "*.csv" (name) or "raw/**/*.csv" (path)')
    .option('--mode <mode>', 'data change: perFile (one run per changed file, default) or batch (one run per burst)')
    .option('--data-path-parameter <name>', "data change: the path parameter that gets the file's path (default: the pipeline's only path parameter)")
    .option('--polling', 'data change: poll instead of OS file events (network and container mounts)')
    .option('--disabled', 'create it disabled')
    .option('--json', 'print the schedule as JSON')
    .action(async (o: CreateFlags, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const hasRecurrence = checkCreateFlags(o);
      const recurrence = hasRecurrence ? recurrenceFromFlags(o) : undefined;
      await withSession(g, async (s) => {
        const created = await s.call(
          'schedules/create',
          {
            name: o.name, pipeline: o.pipeline, pipelineVersion: o.pipelineVersion, experiment: o.experiment,
            parameters: parseAssignments(o.param), recurrence: recurrence as Record<string, unknown> | undefined,
            dataChange: o.datastore === undefined ? undefined : { datastore: o.datastore, path: o.path, glob: o.glob, mode: o.mode as never, dataPathParameterName: o.dataPathParameter, polling: !!o.polling },
            catchUp: !!o.catchUp, enabled: !o.disabled,
          },
          FLAGS,
        );
        showOne(created, g.json, 'Created');
        await warnIfNobodyServes(s);
      });
    });

  schedule
    .command('rename <name> <newName>')
    .description('rename a schedule (name or id); its id, definition, state and runs stay')
    .option('--json', 'print the schedule as JSON')
    .action(async (name: string, newName: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const cur = await s.call('schedules/get', { name });
        // schedules/update takes the whole definition: the current one, with the new name.
        const renamed = await s.call('schedules/update', {
          name: cur.id, newName,
          pipeline: 'publishedId' in cur.target ? cur.target.publishedId : cur.target.endpointName,
          pipelineVersion: 'endpointName' in cur.target ? cur.target.version : undefined,
          experiment: cur.experiment, parameters: cur.parameters, catchUp: cur.catchUp,
          recurrence: (cur.recurrence ?? undefined) as Record<string, unknown> | undefined,
          dataChange: cur.dataChange
            ? { datastore: cur.dataChange.datastore, path: cur.dataChange.pathOnDatastore, glob: cur.dataChange.glob, mode: cur.dataChange.mode,
                dataPathParameterName: cur.dataChange.dataPathParameterName, polling: cur.dataChange.polling }
            : undefined,
        }, { newName: 'NEWNAME', name: 'NAME' });
        showOne(renamed, g.json, 'Renamed');
      });
    });

  schedule
    .command('list')
    .description('list the schedules')
    .option('--json', 'print a JSON array')
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const all = await s.call('schedules/list', {});
        if (g.json) return printJson(all);
        if (!all.length) return info('No schedules (millrace schedule create ...).');
        out(table([
          ['NAME', 'ENABLED', 'PIPELINE', 'EXPERIMENT', 'FIRES', 'NEXT', 'LAST'],
          ...all.map((x) => [
            x.name, x.enabled ? 'yes' : 'no',
            'publishedId' in x.target ? x.target.publishedId : `${x.target.endpointName}${x.target.version ? `@${x.target.version}` : ''}`,
            x.experiment, whatFires(x), x.nextFireTime ?? '-', x.lastFireTime ?? '-',
          ]),
        ]));
      });
    });

  for (const [verb, call] of [['enable', 'schedules/enable'], ['disable', 'schedules/disable'], ['delete', 'schedules/delete']] as const) {
    schedule
      .command(`${verb} <name>`)
      .description(
        verb === 'enable' ? 'enable a schedule (fire times missed while it was disabled do not fire)'
          : verb === 'disable' ? 'disable a schedule: it fires nothing until enabled' : 'delete a schedule (the runs it started stay)',
      )
      .option('--json', `print the ${verb === 'delete' ? 'deleted ' : ''}schedule as JSON`)
      .action(async (name: string, _o: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        await withSession(g, async (s) => {
          showOne(await s.call(call, { name }), g.json, `${verb[0].toUpperCase()}${verb.slice(1)}d`);
          if (verb === 'enable') await warnIfNobodyServes(s);
        });
      });
  }

  schedule
    .command('runs <name>')
    .description('the runs a schedule started, newest first')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print a JSON array of {id, status, createdAt, endedAt, trigger}')
    .action(async (name: string, o: { limit: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const page = await s.call('schedules/runs', { name, limit: o.limit }, { limit: '--limit' });
        if (g.json) return printJson(page.items);
        if (!page.items.length) return info(`Schedule ${name} has started no runs yet.`);
        out(table([
          ['RUN', 'STATUS', 'CREATED', 'TRIGGER'],
          ...page.items.map((r) => [r.id, r.status, r.createdAt, r.trigger.kind === 'schedule' ? ('fireTime' in r.trigger ? `fire ${r.trigger.fireTime}` : 'run now') : r.trigger.kind === 'dataChange' ? `${r.trigger.path} ${r.trigger.hash.slice(0, 12)}` : r.trigger.kind]),
        ]));
      });
    });

  addRecurrenceOptions(schedule.command('preview'))
    .description('print the next fire times of a recurrence, without creating anything')
    .option('--from <iso>', 'list fire times at or after this instant; without an offset it is local to --time-zone (default: now)')
    .option('-n, --count <n>', 'how many fire times', '10')
    .option('--json', 'print a JSON array of ISO-8601 strings')
    .action(async (o: RecurrenceFlags & { from?: string; count: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const recurrence = recurrenceFromFlags(o) as unknown as Record<string, unknown>;
      await withSession(g, async (s) => {
        const times = await s.call('schedules/preview', { recurrence, from: o.from, count: o.count }, { from: '--from', count: '--count' });
        if (g.json) return printJson(times);
        // An offset that changes between two fire times is a DST change (the times carry their zone's offset).
        const offset = (t: string) => /([+-]\d\d:\d\d|Z)$/.exec(t)?.[1];
        times.forEach((t, i) => out(`${t}${i > 0 && offset(t) !== offset(times[i - 1]) ? ' (DST change)' : ''}`));
      });
    });
}
