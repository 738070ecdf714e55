// The Schedules page's "run now" and "last run": a schedule's pipeline submitted at once, listed in
// its history with its trigger, without using up a fire slot.
import { afterEach, describe, expect, it } from 'vitest';
import { publishPipeline } from '../../main/publish/publish.js';
import { serve, type Served } from '../server/helpers.js';
import { TRIVIAL } from './helpers.js';

let s: Served | undefined;
afterEach(async () => s?.stop());

describe('schedules/run-now', () => {
  it("submits the schedule's pipeline, experiment and parameters now; the list shows it as the last run", async () => {
    s = await serve();
    const pub = publishPipeline(s.ws, s.tw.write('pipelines/trivial.yml', TRIVIAL), { name: 'trivial' });
    await s.api('POST', '/api/v1/schedules', { name: 'weekly', pipeline: pub.id, experiment: 'E', parameters: { alpha: 2 }, recurrence: { frequency: 'Week', weekDays: ['Monday'], timeZone: 'UTC' }, enabled: false });
    expect((await s.api('GET', '/api/v1/schedules'))[0].lastRun).toBeNull();
    const run = await s.api('POST', '/api/v1/schedules/weekly/run');
    expect(run).toMatchObject({ experiment: 'E', parameters: { alpha: 2 }, published: { id: pub.id }, trigger: { kind: 'schedule', schedule: 'weekly', runNow: true, by: { kind: 'rest', token: 'tester' } } });
    await s.waitFor(run.id);
    const runs = await s.api('GET', '/api/v1/schedules/weekly/runs');
    expect(runs.items.map((r: any) => r.id)).toEqual([run.id]);
    const [listed] = await s.api('GET', '/api/v1/schedules');
    expect(listed.lastRun).toMatchObject({ id: run.id, shortId: run.shortId, status: 'Completed' });
    expect(listed.lastFireTime).toBeNull();
    expect((await s.http('POST', '/api/v1/schedules/nope/run')).status).toBe(404);
  });
});
