// The recurrence loop on a fake clock: exact counts of runs, catch-up, suspend, disable/enable, restart.
import { afterEach, describe, expect, it } from 'vitest';
import { fireSlot } from '../../main/schedules/fire.js';
import { createSchedule } from '../../main/schedules/schedule-create.js';
import { startScheduler, type Scheduler } from '../../main/schedules/scheduler.js';
import { TriggerRegistry } from '../../main/schedules/trigger-registry.js';
import { FakeClock, fixture, scheduleRuns, type Fixture } from './helpers.js';

const T0 = Date.parse('2026-03-28T10:00:00Z');
const HOUR = 3_600_000;
const MIN = 60_000;

let f: Fixture;
let sched: Scheduler | undefined;
afterEach(async () => {
  await sched?.dispose();
  sched = undefined;
  await f?.close();
});

function hourly(catchUp = false, name = 'hourly') {
  return createSchedule(f.ws, { name, pipeline: f.publishedId, experiment: 'Sched', recurrence: { frequency: 'Hour', interval: 1, timeZone: 'UTC' }, catchUp }, undefined, T0);
}

const start = (clock: FakeClock) => (sched = startScheduler(f.ws, f.runs, { now: clock.now, setTimer: clock.setTimer, onError: () => {} }));

describe('scheduler (fake clock)', () => {
  it('fires each slot exactly once, with its fire time as the trigger', () => {
    f = fixture();
    hourly();
    const clock = new FakeClock(T0);
    start(clock);
    clock.advance(3 * HOUR + 30 * MIN);
    const runs = scheduleRuns(f.ws, 'hourly');
    expect(runs.map((r) => r.trigger.fireTime)).toEqual(['2026-03-28T10:00:00+00:00', '2026-03-28T11:00:00+00:00', '2026-03-28T12:00:00+00:00', '2026-03-28T13:00:00+00:00']);
    expect(runs[0].trigger).toMatchObject({ schedule: 'hourly', publishedPipelineId: f.publishedId });
    expect(f.ws.store.runs.get(runs[0].id).trigger?.kind).toBe('schedule');
  });

  it('skips slots missed while nothing served (default), then fires on time', () => {
    f = fixture();
    hourly(false);
    const clock = new FakeClock(T0 + 5 * HOUR + 10 * MIN);
    start(clock);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(0);
    clock.advance(50 * MIN);
    expect(scheduleRuns(f.ws, 'hourly').map((r) => r.trigger.fireTime)).toEqual(['2026-03-28T16:00:00+00:00']);
  });

  it('with catchUp runs the latest missed slot once at start, not one per missed slot', () => {
    f = fixture();
    hourly(true);
    const clock = new FakeClock(T0 + 5 * HOUR + 10 * MIN);
    start(clock);
    const runs = scheduleRuns(f.ws, 'hourly');
    expect(runs.map((r) => [r.trigger.fireTime, r.trigger.caughtUp])).toEqual([['2026-03-28T15:00:00+00:00', true]]);
    clock.advance(50 * MIN);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(2);
  });

  it('after a suspend (clock jump) handles the due slots by the catch-up policy, never in a burst', () => {
    f = fixture();
    hourly(false, 'skip');
    hourly(true, 'catch');
    const clock = new FakeClock(T0);
    start(clock);
    expect(scheduleRuns(f.ws, 'skip')).toHaveLength(1);
    clock.jump(6 * HOUR + 5 * MIN);
    expect(scheduleRuns(f.ws, 'skip')).toHaveLength(1);
    expect(scheduleRuns(f.ws, 'catch').map((r) => r.trigger.fireTime)).toEqual(['2026-03-28T10:00:00+00:00', '2026-03-28T16:00:00+00:00']);
  });

  it('a loop delayed past several slots fires only the latest one', () => {
    f = fixture();
    createSchedule(f.ws, { name: 'tens', pipeline: f.publishedId, experiment: 'Sched', recurrence: { cron: '*/10 * * * * *', timeZone: 'UTC' } }, undefined, T0);
    const clock = new FakeClock(T0);
    start(clock);
    clock.jump(35_000);
    expect(scheduleRuns(f.ws, 'tens').map((r) => r.trigger.fireTime)).toEqual(['2026-03-28T10:00:00+00:00', '2026-03-28T10:00:30+00:00']);
  });

  it('a disabled schedule fires nothing; re-enabling does not fire the slots missed while disabled', () => {
    f = fixture();
    hourly(true);
    const clock = new FakeClock(T0);
    start(clock);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(1);
    f.ws.store.schedules.setEnabled('hourly', false, clock.t);
    clock.advance(3 * HOUR + 30 * MIN);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(1);
    f.ws.store.schedules.setEnabled('hourly', true, clock.t);
    clock.advance(10 * MIN);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(1);
    clock.advance(30 * MIN);
    expect(scheduleRuns(f.ws, 'hourly').map((r) => r.trigger.fireTime)).toEqual(['2026-03-28T10:00:00+00:00', '2026-03-28T14:00:00+00:00']);
  });

  it('picks up schedules created and deleted while running', () => {
    f = fixture();
    const clock = new FakeClock(T0);
    start(clock);
    clock.advance(10 * MIN);
    createSchedule(f.ws, { name: 'late', pipeline: 'trivial-ep', experiment: 'Sched', recurrence: { frequency: 'Minute', interval: 15, timeZone: 'UTC' } }, undefined, clock.t);
    clock.advance(31 * MIN);
    expect(scheduleRuns(f.ws, 'late')).toHaveLength(3); // +0, +15, +30
    const id = f.ws.store.schedules.get('late').id;
    f.ws.store.schedules.delete('late');
    clock.advance(HOUR);
    expect(f.ws.store.schedules.runs(id, 100, 0).total).toBe(3);
  });

  it('a restart never fires a slot twice: (schedule, fire time) is a unique key', async () => {
    f = fixture();
    const s = hourly();
    const clock = new FakeClock(T0 + 30 * 1000);
    start(clock);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(1);
    await sched!.dispose();
    start(clock);
    clock.advance(1000);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(1);
    // Even a direct second firing of the same slot starts nothing.
    expect(fireSlot({ ws: f.ws, runs: f.runs }, s, T0)).toEqual({ skipped: 'already-handled' });
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(1);
  });

  it('records a firing that could not start a run (disabled pipeline) instead of retrying it forever', () => {
    f = fixture();
    hourly();
    f.ws.store.published.setEnabled(f.publishedId, false);
    const errors: string[] = [];
    const clock = new FakeClock(T0);
    sched = startScheduler(f.ws, f.runs, { now: clock.now, setTimer: clock.setTimer, onError: (m) => errors.push(m) });
    clock.advance(90 * MIN);
    expect(scheduleRuns(f.ws, 'hourly')).toHaveLength(0);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/disabled/);
  });

  it('the trigger registry rejects a second trigger for one schedule', () => {
    const r = new TriggerRegistry<number>();
    r.add('a', 1);
    expect(() => r.add('a', 2)).toThrow(/already running/);
    expect(r.remove('a')).toBe(1);
    r.add('a', 3);
  });
});
