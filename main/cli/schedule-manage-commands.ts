// `millrace schedule create|list|enable|disable|delete|runs` (DESIGN.md sections 6 and 8).
import type { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { parseAssignments } from '../../shared/params.js';
import type { ScheduleRecord } from '../../shared/schedules.js';
import { isSameProcessAlive } from '../executor/process-identity.js';
import { createSchedule } from '../schedules/schedule-create.js';
import { scheduleRecord, scheduleRunRecord } from '../schedules/schedule-records.js';
import type { Workspace } from '../workspace/workspace.js';
import { type GlobalOptions, withWorkspace } from './context.js';
import { info, out, printJson, table } from './output.js';
import { addRecurrenceOptions, recurrenceFromFlags, type RecurrenceFlags } from './recurrence-flags.js';

const collect = (v: string, prev: string[]) => [...prev, v];

const FLAG_OF: Record<string, string> = {
  name: '--name',
  pipeline: '--pipeline',
  pipelineVersion: '--pipeline-version',
  experiment: '--experiment',
  parameters: '-p',
  datastore: '--datastore',
  path: '--path',
  glob: '--glob',
  mode: '--mode',
  dataPathParameterName: '--data-path-parameter',
  frequency: '--frequency',
  cron: '--cron',
};
const flagOf = (field: string) => FLAG_OF[field] ?? field;

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

/** Runs `fn` on the workspace and closes it, whatever happens. */
function withCommandWorkspace<T>(cmd: Command, fn: (ws: Workspace, g: GlobalOptions) => T): T {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  return withWorkspace(g, (ws) => fn(ws, g));
}

function warnIfNobodyServes(ws: Workspace): void {
  const o = ws.store.schedules.owner();
  if (!o || !isSameProcessAlive(o.pid, o.start)) info('Note: no millrace serve runs for this workspace; schedules fire once one does.');
}

function whatFires(s: ScheduleRecord): string {
  if (s.dataChange) {
    const d = s.dataChange;
    return `${d.datastore}:${d.pathOnDatastore || '.'}${d.glob ? ` (${d.glob})` : ''} ${d.mode}${d.polling ? ' polling' : ''}`;
  }
  const r = s.recurrence!;
  if ('cron' in r) return `cron "${r.cron}" ${r.timeZone}`;
  const at = [r.hours && `hours ${r.hours.join(',')}`, r.minutes && `minutes ${r.minutes.join(',')}`, r.weekDays && r.weekDays.join(',')].filter(Boolean).join(' ');
  return `every ${r.interval} ${r.frequency}${at ? ` ${at}` : ''} ${r.timeZone}`;
}

const showOne = (s: ScheduleRecord, json?: boolean, verb?: string) => {
  if (json) return printJson(s);
  out(`${verb ? `${verb} ` : ''}schedule ${s.name} (${s.id}): ${s.enabled ? 'enabled' : 'disabled'}, ${whatFires(s)}${s.nextFireTime ? `, next ${s.nextFireTime}` : ''}`);
};

export function registerScheduleManageCommands(schedule: Command): void {
  addRecurrenceOptions(schedule.command('create'))
    .description('create a schedule that submits a published pipeline on a recurrence, a cron, or when data changes')
    .requiredOption('--name <name>', 'schedule name (unique in the workspace)')
    .requiredOption('--pipeline <id-or-endpoint>', 'published pipeline id, or pipeline endpoint name (its default version at each firing)')
    .option('--pipeline-version <v>', 'with an endpoint: always this version')
    .requiredOption('-e, --experiment <name>', 'experiment of the runs it starts')
    .option('-p, --param <NAME=VALUE>', 'a pipeline parameter (repeatable); checked against the published pipeline now', collect, [])
    .option('--catch-up', 'a fire time missed while nothing served the workspace runs once at start (default: skipped)')
    .option('--datastore <name>', 'data change: watch this datastore...')
    .option('--path <path>', '...under this path (relative to the datastore; default: all of it)')
    .option('--glob <pattern>', 'data change: only files matching, e.g. "*.csv" (name) or "raw/**/*.csv" (path)')
    .option('--mode <mode>', 'data change: perFile (one run per changed file, default) or batch (one run per burst)')
    .option('--data-path-parameter <name>', "data change: the path parameter that gets the file's path (default: the pipeline's only path parameter)")
    .option('--polling', 'data change: poll instead of OS file events (network and container mounts)')
    .option('--disabled', 'create it disabled')
    .option('--json', 'print the schedule as JSON')
    .action((o: CreateFlags, cmd: Command) =>
      withCommandWorkspace(cmd, (ws, g) => {
        const hasRecurrence = o.frequency !== undefined || o.cron !== undefined;
        const dataFlags = o.path !== undefined || o.glob !== undefined || o.mode !== undefined || o.dataPathParameter !== undefined || o.polling;
        if (dataFlags && o.datastore === undefined) throw new UserError('--path, --glob, --mode, --data-path-parameter and --polling need --datastore', 'bad_usage');
        const timeFlags = ['interval', 'startTime', 'timeZone', 'hours', 'minutes', 'weekDays'] as const;
        const stray = timeFlags.find((k) => o[k] !== undefined);
        if (stray && !hasRecurrence) throw new UserError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is a recurrence flag: give --frequency or --cron too`, 'bad_usage');
        if (o.catchUp && o.datastore !== undefined) throw new UserError('--catch-up is for recurrence schedules (changes made while nothing served are always found at start)', 'bad_usage');
        const s = createSchedule(
          ws,
          {
            name: o.name,
            pipeline: o.pipeline,
            pipelineVersion: o.pipelineVersion,
            experiment: o.experiment,
            parameters: parseAssignments(o.param),
            recurrence: hasRecurrence ? recurrenceFromFlags(o) : undefined,
            dataChange: o.datastore === undefined ? undefined : { datastore: o.datastore, path: o.path, glob: o.glob, mode: o.mode, dataPathParameterName: o.dataPathParameter, polling: o.polling },
            catchUp: o.catchUp,
            enabled: !o.disabled,
          },
          flagOf,
        );
        showOne(scheduleRecord(s), g.json, 'Created');
        warnIfNobodyServes(ws);
      }),
    );

  schedule
    .command('list')
    .description('list the schedules')
    .option('--json', 'print a JSON array')
    .action((_o: unknown, cmd: Command) =>
      withCommandWorkspace(cmd, (ws, g) => {
        const all = ws.store.schedules.list().map((s) => scheduleRecord(s));
        if (g.json) return printJson(all);
        if (!all.length) return info('No schedules (millrace schedule create ...).');
        out(table([
          ['NAME', 'ENABLED', 'PIPELINE', 'EXPERIMENT', 'FIRES', 'NEXT', 'LAST'],
          ...all.map((s) => [
            s.name, s.enabled ? 'yes' : 'no',
            'publishedId' in s.target ? s.target.publishedId : `${s.target.endpointName}${s.target.version ? `@${s.target.version}` : ''}`,
            s.experiment, whatFires(s), s.nextFireTime ?? '-', s.lastFireTime ?? '-',
          ]),
        ]));
      }),
    );

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    schedule
      .command(`${verb} <name>`)
      .description(enabled ? 'enable a schedule (fire times missed while it was disabled do not fire)' : 'disable a schedule: it fires nothing until enabled')
      .option('--json', 'print the schedule as JSON')
      .action((name: string, _o: unknown, cmd: Command) =>
        withCommandWorkspace(cmd, (ws, g) => {
          showOne(scheduleRecord(ws.store.schedules.setEnabled(name, enabled)), g.json, enabled ? 'Enabled' : 'Disabled');
          if (enabled) warnIfNobodyServes(ws);
        }),
      );
  }

  schedule
    .command('delete <name>')
    .description('delete a schedule (the runs it started stay)')
    .option('--json', 'print the deleted schedule as JSON')
    .action((name: string, _o: unknown, cmd: Command) => withCommandWorkspace(cmd, (ws, g) => showOne(scheduleRecord(ws.store.schedules.delete(name)), g.json, 'Deleted')));

  schedule
    .command('runs <name>')
    .description('the runs a schedule started, newest first')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print a JSON array of {id, status, createdAt, endedAt, trigger}')
    .action((name: string, o: { limit: string }, cmd: Command) =>
      withCommandWorkspace(cmd, (ws, g) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit: expected a positive integer, got '${o.limit}'`, 'bad_usage');
        const s = ws.store.schedules.get(name);
        const runs = ws.store.schedules.runs(s.id, limit, 0).rows.map(scheduleRunRecord);
        if (g.json) return printJson(runs);
        if (!runs.length) return info(`Schedule ${s.name} has started no runs yet.`);
        out(table([
          ['RUN', 'STATUS', 'CREATED', 'TRIGGER'],
          ...runs.map((r) => [r.id, r.status, r.createdAt, String(r.trigger.kind === 'schedule' ? `fire ${r.trigger.fireTime}` : `${r.trigger.path} ${String(r.trigger.hash).slice(0, 12)}`)]),
        ]));
      }),
    );
}
