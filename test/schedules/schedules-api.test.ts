// The schedules/* calls of the API contract over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { publishPipeline } from '../../main/publish/publish.js';
import { serve, type Served } from '../server/helpers.js';
import { TRIVIAL } from './helpers.js';

let s: Served | undefined;
afterEach(async () => s?.stop());

describe('schedules API', () => {
  it('create, list, get, disable, enable, preview, runs, delete', async () => {
    s = await serve();
    const pub = publishPipeline(s.ws, s.tw.write('pipelines/trivial.yml', TRIVIAL), { name: 'trivial' });
    const created = await s.api('POST', '/api/v1/schedules', {
      name: 'nightly', pipeline: pub.id, experiment: 'E', parameters: { alpha: 2 },
      recurrence: { frequency: 'Week', weekDays: ['Monday'], hours: [2], timeZone: 'America/New_York', startTime: '2026-01-01T00:00' },
    });
    expect(created).toMatchObject({ name: 'nightly', kind: 'recurrence', enabled: true, catchUp: false, parameters: { alpha: 2 } });
    expect((await s.api('GET', '/api/v1/schedules')).map((x: { name: string }) => x.name)).toEqual(['nightly']);
    expect(await s.api('GET', `/api/v1/schedules/${created.id}`)).toMatchObject({ name: 'nightly' });
    expect(await s.api('POST', '/api/v1/schedules/nightly/disable')).toMatchObject({ enabled: false });
    expect(await s.api('POST', '/api/v1/schedules/nightly/enable')).toMatchObject({ enabled: true });
    expect(await s.api('POST', '/api/v1/schedules/preview', { recurrence: { frequency: 'Day', hours: [2], minutes: [30], timeZone: 'Europe/Berlin' }, from: '2026-03-28T00:00', count: 2 }))
      .toEqual(['2026-03-28T02:30:00+01:00', '2026-03-29T03:00:00+02:00']);
    expect(await s.api('GET', '/api/v1/schedules/nightly/runs')).toEqual({ items: [], total: 0, limit: 50, offset: 0 });

    const bad = await s.http('POST', '/api/v1/schedules', { body: { name: 'b', pipeline: pub.id, experiment: 'E', parameters: { nope: 1 }, recurrence: { frequency: 'Day', timeZone: 'UTC' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/unknown parameter 'nope'/);
    const dup = await s.http('POST', '/api/v1/schedules', { body: { name: 'nightly', pipeline: pub.id, experiment: 'E', recurrence: { frequency: 'Day', timeZone: 'UTC' } } });
    expect(dup.status).toBe(409);
    expect((await s.http('DELETE', '/api/v1/schedules/nightly')).status).toBe(200);
    expect((await s.http('GET', '/api/v1/schedules/nightly')).status).toBe(404);
  });

  it('update changes the definition and the next fire times; a bad recurrence is a 400 naming the field', async () => {
    s = await serve();
    const pub = publishPipeline(s.ws, s.tw.write('pipelines/trivial.yml', TRIVIAL), { name: 'trivial' });
    const before = await s.api('POST', '/api/v1/schedules', { name: 'daily', pipeline: pub.id, experiment: 'E', recurrence: { frequency: 'Day', hours: [2], minutes: [0], timeZone: 'UTC' } });
    expect(before.nextFireTime).toMatch(/T02:00:00/);
    const updated = await s.api('POST', '/api/v1/schedules/daily/update', {
      pipeline: pub.id, experiment: 'E2', parameters: { alpha: 3 }, recurrence: { frequency: 'Day', hours: [5], minutes: [15], timeZone: 'UTC' },
    });
    expect(updated).toMatchObject({ name: 'daily', kind: 'recurrence', experiment: 'E2', parameters: { alpha: 3 }, enabled: true });
    expect(updated.nextFireTime).toMatch(/T05:15:00/);
    expect(updated.id).toBe(before.id);
    const bad = await s.http('POST', '/api/v1/schedules/daily/update', { body: { pipeline: pub.id, experiment: 'E', recurrence: { frequency: 'Day', hours: [25], timeZone: 'UTC' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/hours/);
    const kind = await s.http('POST', '/api/v1/schedules/daily/update', { body: { pipeline: pub.id, experiment: 'E', dataChange: { datastore: 'workspaceblobstore' } } });
    expect(kind.status).toBe(400);
    expect(kind.json.error.message).toMatch(/kind cannot change/);
    expect((await s.http('POST', '/api/v1/schedules/nope/update', { body: { pipeline: pub.id, experiment: 'E', recurrence: { frequency: 'Day', timeZone: 'UTC' } } })).status).toBe(404);
  });
});
