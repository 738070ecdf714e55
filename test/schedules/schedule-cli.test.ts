// `millrace schedule create|list|enable|disable|delete|runs` as a real child process.
import { afterEach, describe, expect, it } from 'vitest';
import { cli, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { QUICK, TRIVIAL } from './helpers.js';

let tw: TempWorkspace | undefined;
afterEach(() => tw?.cleanup());

const json = (args: string[]) => {
  const r = cli([...args, '--json', '-w', tw!.dir]);
  if (r.status !== 0) throw new Error(`${args.join(' ')} -> ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

describe('schedule commands', () => {
  it('create (recurrence, cron, data change), list, disable, enable, runs, delete', () => {
    tw = tempWorkspace(QUICK);
    tw.write('pipelines/trivial.yml', TRIVIAL);
    const pub = JSON.parse(cli(['publish', 'pipelines/trivial.yml', '--name', 'trivial', '--endpoint', 'trivial-ep', '--json', '-w', tw.dir]).stdout);

    const daily = json(['schedule', 'create', '--name', 'daily-training', '--pipeline', pub.id, '--experiment', 'Training_Pipeline', '--frequency', 'Day', '--interval', '1',
      '--hours', '6', '--minutes', '30', '--time-zone', 'Europe/Berlin', '--start-time', '2026-01-01T00:00', '--catch-up', '-p', 'alpha=0.5']);
    expect(daily).toMatchObject({
      name: 'daily-training', kind: 'recurrence', target: { publishedId: pub.id }, experiment: 'Training_Pipeline', parameters: { alpha: 0.5 }, enabled: true, catchUp: true,
      recurrence: { frequency: 'Day', interval: 1, hours: [6], minutes: [30], timeZone: 'Europe/Berlin', startTime: '2026-01-01T00:00' },
    });
    expect(daily.nextFireTime).toMatch(/T06:30:00\+0[12]:00$/);
    json(['schedule', 'create', '--name', 'weekdays', '--pipeline', 'trivial-ep', '-e', 'T', '--cron', '30 6 * * 1-5', '--time-zone', 'UTC']);
    const reactive = json(['schedule', 'create', '--name', 'reactive-training', '--pipeline', 'trivial-ep', '-e', 'T', '--datastore', 'default', '--path', 'data/training/',
      '--glob', '*.csv', '--mode', 'batch', '--polling']);
    expect(reactive).toMatchObject({ kind: 'dataChange', target: { endpointName: 'trivial-ep' }, recurrence: null,
      dataChange: { datastore: 'default', pathOnDatastore: 'data/training', glob: '*.csv', mode: 'batch', dataPathParameterName: 'raw_path', polling: true } });

    // Renamed by name, then by id: the id and the definition stay.
    const renamed = json(['schedule', 'rename', 'reactive-training', 'Reactive training']);
    expect(renamed).toMatchObject({ id: reactive.id, name: 'Reactive training', dataChange: reactive.dataChange, target: reactive.target, enabled: true });
    expect(json(['schedule', 'rename', reactive.id, 'reactive-training'])).toMatchObject({ id: reactive.id, name: 'reactive-training' });
    const dailyRenamed = json(['schedule', 'rename', 'daily-training', 'daily-training-2']);
    expect(dailyRenamed).toMatchObject({ id: daily.id, recurrence: daily.recurrence, parameters: daily.parameters, catchUp: true });
    json(['schedule', 'rename', 'daily-training-2', 'daily-training']);
    expect(json(['schedule', 'list']).map((s: { name: string }) => s.name)).toEqual(['daily-training', 'reactive-training', 'weekdays']);
    expect(json(['schedule', 'disable', 'weekdays'])).toMatchObject({ enabled: false, nextFireTime: null });
    expect(json(['schedule', 'enable', 'weekdays'])).toMatchObject({ enabled: true });
    expect(json(['schedule', 'runs', 'weekdays'])).toEqual([]);
    expect(json(['schedule', 'delete', 'weekdays'])).toMatchObject({ name: 'weekdays' });
    expect(json(['schedule', 'list'])).toHaveLength(2);
    const gone = cli(['schedule', 'runs', 'weekdays', '-w', tw.dir]);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toMatch(/no schedule 'weekdays'/);
  });

  it('refuses bad input with exit 2, naming the parameter or flag', () => {
    tw = tempWorkspace(QUICK);
    tw.write('pipelines/trivial.yml', TRIVIAL);
    cli(['publish', 'pipelines/trivial.yml', '--name', 'trivial', '--endpoint', 'ep', '-w', tw.dir]);
    const create = (...flags: string[]) => cli(['schedule', 'create', '--name', 'x', '--pipeline', 'ep', '-e', 'T', ...flags, '-w', tw!.dir]);
    const cases: [string[], RegExp][] = [
      [['--frequency', 'Day', '-p', 'nope=1'], /-p: unknown parameter 'nope'/],
      [['--frequency', 'Day', '-p', 'alpha=abc'], /-p: parameter 'alpha': expected a number/],
      [['--frequency', 'Fortnight'], /--frequency: expected one of/],
      [['--frequency', 'Day', '--time-zone', 'Mars/Olympus'], /--time-zone: unknown time zone/],
      [['--cron', '61 * * * *', '--time-zone', 'UTC'], /--cron:/],
      [[], /give either a recurrence/],
      [['--frequency', 'Day', '--datastore', 'default'], /not both/],
      [['--datastore', 'nowhere'], /--datastore: unknown datastore 'nowhere'/],
      [['--datastore', 'default', '--time-zone', 'UTC'], /--time-zone is a recurrence flag/],
      [['--datastore', 'default', '--path', '../up'], /--path: may not leave the datastore/],
      [['--datastore', 'default', '--data-path-parameter', 'alpha'], /--data-path-parameter: parameter 'alpha' is a number/],
      [['--datastore', 'default', '--mode', 'sometimes'], /--mode: expected perFile or batch/],
    ];
    for (const [flags, msg] of cases) {
      const r = create(...flags);
      expect(r.status, flags.join(' ')).toBe(2);
      expect(r.stderr, flags.join(' ')).toMatch(msg);
    }
    const noPipe = cli(['schedule', 'create', '--name', 'x', '--pipeline', 'nothing', '-e', 'T', '--frequency', 'Day', '-w', tw.dir]);
    expect([noPipe.status, noPipe.stderr]).toEqual([2, expect.stringMatching(/--pipeline: no published pipeline id or pipeline endpoint 'nothing'/)]);
    expect(create('--frequency', 'Day').status).toBe(0);
    const dup = create('--frequency', 'Day');
    expect([dup.status, dup.stderr]).toEqual([2, expect.stringMatching(/already exists/)]);
  });
});
