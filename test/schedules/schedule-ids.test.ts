// Schedules of AZUREML.md section 10.4g over HTTP and the CLI: a UUID for life, rename by update,
// duplicate names on request, addressing by id or by a name no other schedule has.
import { afterEach, describe, expect, it } from 'vitest';
import { publishPipeline } from '../../main/publish/publish.js';
import { serve, type Served } from '../server/helpers.js';
import { cli } from '../helpers/workspace.js';
import { TRIVIAL } from './helpers.js';

let s: Served | undefined;
afterEach(async () => s?.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('schedule ids and names', () => {
  it('a UUID for life; a name with spaces; duplicates only with allowDuplicateName; an ambiguous name is 409 listing the ids', async () => {
    s = await serve();
    const pub = publishPipeline(s.ws, s.tw.write('pipelines/trivial.yml', TRIVIAL), { name: 'trivial', endpoint: 'trivial-ep' });
    const body = { name: 'Weekly Training', pipeline: pub.id, experiment: 'E', recurrence: { frequency: 'Week', weekDays: ['Tuesday'], hours: [6], minutes: [15], timeZone: 'UTC' } };
    const a = await s.api('POST', '/api/v1/schedules', { ...body, description: 'every tuesday', continueOnStepFailure: true, pollingInterval: 5 });
    expect(a.id).toMatch(UUID);
    expect(a).toMatchObject({ name: 'Weekly Training', description: 'every tuesday', continueOnStepFailure: true, pollingInterval: 5 });
    expect((await s.http('POST', '/api/v1/schedules', { body })).status).toBe(409);
    const b = await s.api('POST', '/api/v1/schedules', { ...body, allowDuplicateName: true });
    expect(b.id).not.toBe(a.id);

    const ambiguous = await s.http('GET', `/api/v1/schedules/${encodeURIComponent('Weekly Training')}`);
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.json.error).toMatchObject({ code: 'ambiguous_name', details: [`id ${a.id}`, `id ${b.id}`] });
    expect(await s.api('GET', `/api/v1/schedules/${a.id}`)).toMatchObject({ id: a.id, name: 'Weekly Training' });

    // Rename through update: the id stays, what is left out keeps its value.
    const renamed = await s.api('POST', `/api/v1/schedules/${b.id}/update`, { ...body, newName: 'Nightly Training' });
    expect(renamed).toMatchObject({ id: b.id, name: 'Nightly Training' });
    expect(await s.api('GET', '/api/v1/schedules/Weekly%20Training')).toMatchObject({ id: a.id });
    const kept = await s.api('POST', `/api/v1/schedules/${a.id}/update`, { ...body, experiment: 'E2' });
    expect(kept).toMatchObject({ description: 'every tuesday', continueOnStepFailure: true, pollingInterval: 5, experiment: 'E2' });

    // An endpoint target records the endpoint's id: a schedule survives addressing by it.
    const byEndpoint = await s.api('POST', '/api/v1/schedules', { ...body, name: 'ep', pipeline: 'trivial-ep' });
    expect(byEndpoint.target).toEqual({ endpointName: 'trivial-ep', endpointId: s.ws.store.published.endpoint('trivial-ep').id });
    expect((await s.http('POST', '/api/v1/schedules', { body: { ...body, name: 'bad\u0007name' } })).status).toBe(400);
  });

  it('the CLI addresses a schedule by a unique name or its id; an ambiguous name exits 2 naming the ids', async () => {
    s = await serve();
    const pub = publishPipeline(s.ws, s.tw.write('pipelines/trivial.yml', TRIVIAL), { name: 'trivial' });
    const body = { name: 'twin', pipeline: pub.id, experiment: 'E', recurrence: { frequency: 'Day', timeZone: 'UTC' }, allowDuplicateName: true };
    const a = await s.api('POST', '/api/v1/schedules', body);
    const b = await s.api('POST', '/api/v1/schedules', body);
    const r = cli(['schedule', 'disable', 'twin', '-w', s.tw.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`id ${a.id}`);
    expect(r.stderr).toContain(`id ${b.id}`);
    const ok = cli(['schedule', 'disable', b.id, '-w', s.tw.dir, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id: b.id, enabled: false });
  });
});
