import { describe, expect, it } from 'vitest';
import { intList, markDst, ScheduleForm } from '../../renderer/src/schedules/schedule-form.svelte.js';

describe('schedule form', () => {
  it('marks the fire times whose UTC offset changed since the previous one (a DST change)', () => {
    const marked = markDst(['2027-03-27T02:30:00+01:00', '2027-03-28T03:00:00+02:00', '2027-03-29T02:30:00+02:00']);
    expect(marked.map((t) => [t.offset, t.dstChange])).toEqual([['+01:00', false], ['+02:00', true], ['+02:00', false]]);
  });

  it('reads hour and minute lists, leaving bad entries for the core to refuse by name', () => {
    expect(intList('6, 18')).toEqual([6, 18]);
    expect(intList('  ')).toBeUndefined();
    expect(intList('6 x')).toEqual([6, NaN]);
  });

  it('builds a ScheduleRecurrence: hours/minutes only for Day and Week, week days only for Week', () => {
    const f = new ScheduleForm();
    f.timeZone = 'Europe/Berlin';
    f.frequency = 'Week';
    f.toggleDay('Friday');
    f.toggleDay('Monday');
    expect(f.recurrence).toEqual({ frequency: 'Week', interval: 1, timeZone: 'Europe/Berlin', hours: [6], minutes: [30], weekDays: ['Monday', 'Friday'] });
    f.frequency = 'Hour';
    f.interval = 2;
    expect(f.recurrence).toEqual({ frequency: 'Hour', interval: 2, timeZone: 'Europe/Berlin' });
    f.mode = 'cron';
    f.startTime = '2027-01-01T00:00:00';
    expect(f.recurrence).toEqual({ cron: '30 6 * * 1-5', timeZone: 'Europe/Berlin', startTime: '2027-01-01T00:00:00' });
  });

  it('says what is missing, and builds data-change args', () => {
    const f = new ScheduleForm();
    expect(f.missing).toBe('give the schedule a name');
    f.name = 'landing';
    f.pipeline = 'training';
    f.experiment = 'x';
    expect(f.missing).toBeNull();
    f.mode = 'dataChange';
    f.path = 'landing/';
    f.glob = '*.csv';
    f.dataPathParameterName = 'raw_path';
    expect(f.recurrence).toBeNull();
    expect(f.toArgs()).toEqual({
      name: 'landing', pipeline: 'training', experiment: 'x', catchUp: false,
      dataChange: { datastore: 'default', path: 'landing/', glob: '*.csv', mode: 'perFile', dataPathParameterName: 'raw_path', polling: false },
    });
  });
});

describe('schedule parameters', () => {
  it("finds the published pipeline a target runs, and keeps only the values that differ from its defaults", async () => {
    const { changedParameters, targetPipeline } = await import('../../renderer/src/schedules/schedule-form.svelte.js');
    const p1 = { id: 'p1', parameters: { rate: { type: 'number', default: 0.1 } } } as never;
    const p2 = { id: 'p2', parameters: {} } as never;
    const ep = { name: 'training', defaultVersion: '2', defaultPipelineId: 'p2', versions: [{ version: '1', publishedPipelineId: 'p1' }, { version: '2', publishedPipelineId: 'p2' }] } as never;
    expect(targetPipeline('training', undefined, [ep], [p1, p2])).toBe(p2);
    expect(targetPipeline('training', '1', [ep], [p1, p2])).toBe(p1);
    expect(targetPipeline('p1', undefined, [ep], [p1, p2])).toBe(p1);
    expect(changedParameters({ rate: { type: 'number', default: 0.1 }, n: { type: 'integer', default: 2 } }, { rate: 0.1, n: 3 })).toEqual({ n: 3 });
  });
});
