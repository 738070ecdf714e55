// The /api/v1 calls generated from shared/api: runs with paging and filters, logs, metrics with
// downsampling, outputs, pipelines, datastores, datasets, tokens, and the typed client.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, callNames } from '../../shared/api/contract.js';
import { ApiError, createClient, httpTransport, type FetchLike } from '../../shared/api/client.js';
import { handlers } from '../../main/core/handlers/index.js';
import { commandPipeline, serve, type Served } from './helpers.js';

let s: Served;
let logRun: string;
let metricRun: string;

const METRICS_PY = `from millrace import Run
run = Run.get_context()
for i in range(5000):
    run.log("loss", 1.0 / (i + 1) if i != 2500 else 50.0)
run.log("accuracy", 0.93)
run.parent.log("best", 0.93)
`;

beforeAll(async () => {
  s = await serve();
  s.tw.write('pipelines/lines.yml', commandPipeline('lines', ['python3', '-c', 'for i in range(100): print(f"line {i} é")']));
  s.tw.write('pipelines/metrics.py', METRICS_PY);
  s.tw.write('pipelines/metrics.yml', 'name: metrics\nsteps:\n  log:\n    type: python\n    script: metrics.py\n    allow_reuse: false\n    outputs:\n      model: { datastore: default }\n');
  s.tw.write('pipelines/broken.yml', 'name: broken\nsteps:\n  a:\n    type: python\n    script: x.py\n    inputs:\n      x: ${{steps.nope.outputs.y}}\n');
  logRun = (await s.api('POST', '/api/v1/runs', { file: 'lines.yml', experiment: 'logs' })).id;
  metricRun = (await s.api('POST', '/api/v1/runs', { file: 'metrics.yml', experiment: 'metrics' })).id;
  await s.waitFor(logRun);
  await s.waitFor(metricRun);
});
afterAll(() => s.stop());

describe('the contract', () => {
  it('declares each call once, with a unique method and path, and the core implements every one', () => {
    const routes = callNames().map((n) => `${API[n].method} ${API[n].path}`);
    expect(new Set(routes).size).toBe(routes.length);
    expect(Object.keys(handlers).sort()).toEqual(callNames().sort());
    for (const n of callNames()) expect(n).toMatch(/^[a-z-]+\/[a-z-]+$/);
  });

  it('is usable through the typed client over HTTP', async () => {
    const client = createClient(httpTransport({ baseUrl: s.server.url, fetch: fetch as unknown as FetchLike, token: s.token }));
    const info = await client.call('server/info', {});
    expect(info).toMatchObject({ name: 'millrace', workspace: s.tw.dir, url: s.server.url });
    const page = await client.call('runs/list', { experiment: 'logs', limit: 1 });
    expect(page.items[0].id).toBe(logRun);
    const run = await client.call('runs/get', { id: logRun.slice(0, 12) });
    expect(run.id).toBe(logRun);
    const err = await client.call('runs/get', { id: 'zzzz' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
    const anon = createClient(httpTransport({ baseUrl: s.server.url, fetch: fetch as unknown as FetchLike }));
    await expect(anon.call('server/info', {})).rejects.toMatchObject({ status: 401 });
  });

  it('rejects unknown and malformed arguments with 400', async () => {
    for (const q of ['limit=abc', 'limit=0', 'limit=100000', 'status=Done', 'trigger=cron', 'bogus=1', 'limit=1&limit=2']) {
      const r = await s.http('GET', `/api/v1/runs?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.code).toBe('invalid_input');
    }
    const r = await s.http('POST', '/api/v1/runs', { body: { file: 'lines.yml', parameters: { nope: 1 } } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('unknown_parameter');
  });
});

describe('runs', () => {
  it('returns the run record in the same shape as `millrace run --json`', async () => {
    const r = await s.api('GET', `/api/v1/runs/${metricRun}`);
    expect(r).toEqual(JSON.parse(JSON.stringify(s.ws.store.runs.get(metricRun))));
    expect(r).toMatchObject({ id: metricRun, experiment: 'metrics', status: 'Completed', trigger: { kind: 'rest', token: 'tester' } });
    expect(r.steps[0]).toMatchObject({ name: 'log', status: 'Completed', metrics: { accuracy: 0.93 } });
    // 5,000 points of loss: the record carries their summary, not the points.
    expect(r.steps[0].metrics.loss).toEqual({ count: 5000, last: 1 / 5000, min: 1 / 5000, max: 50 });
    expect(r.metrics).toEqual({ best: 0.93 });
    expect(await s.api('GET', `/api/v1/runs/${metricRun}/steps`)).toEqual(r.steps);
  });

  it('pages with a total and filters by experiment, status and trigger', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await s.api('POST', '/api/v1/runs', { file: 'lines.yml', experiment: 'paged' })).id);
    for (const id of ids) await s.waitFor(id);
    const p1 = await s.api('GET', '/api/v1/runs?experiment=paged&limit=2');
    const p3 = await s.api('GET', '/api/v1/runs?experiment=paged&limit=2&offset=4');
    expect(p1).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect(p1.items.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[3]]);
    expect(p3.items.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect(p1.items[0]).toMatchObject({ status: 'Completed', stepCounts: { Completed: 1 }, trigger: { kind: 'rest' } });
    expect(p1.items[0].steps).toBeUndefined();
    expect((await s.api('GET', '/api/v1/runs?trigger=rest&status=Completed&limit=500')).total).toBeGreaterThanOrEqual(7);
    expect((await s.api('GET', '/api/v1/runs?trigger=cli')).total).toBe(0);
    expect((await s.api('GET', '/api/v1/runs?status=Failed')).total).toBe(0);
    const exps = await s.api('GET', '/api/v1/experiments');
    expect(exps.find((e: { name: string }) => e.name === 'paged')).toMatchObject({ runs: 5 });
  });
});

describe('logs', () => {
  it('returns the last lines with tail', async () => {
    const r = await s.api('GET', `/api/v1/runs/${logRun}/logs/only?tail=3`);
    expect(r.text).toBe('line 97 é\nline 98 é\nline 99 é\n');
    expect(r.nextOffset).toBe(r.size);
    expect(r.offset).toBe(r.size - Buffer.byteLength(r.text));
  });

  it('follows a log from an offset in chunks that never split a character', async () => {
    const whole = (await s.api('GET', `/api/v1/runs/${logRun}/logs/only`)).text;
    let text = '';
    let offset = 0;
    for (let i = 0; i < 1000; i++) {
      const c = await s.api('GET', `/api/v1/runs/${logRun}/logs/only?offset=${offset}&maxBytes=7`);
      if (c.nextOffset === offset) break;
      expect(c.text).not.toContain('\ufffd');
      text += c.text;
      offset = c.nextOffset;
    }
    expect(text).toBe(whole);
    expect(whole).toContain('line 0 é\n');
    expect((await s.http('GET', `/api/v1/runs/${logRun}/logs/nope`)).status).toBe(404);
  });
});

describe('metrics', () => {
  it('lists metric names per run and step', async () => {
    const list = await s.api('GET', `/api/v1/runs/${metricRun}/metrics`);
    const byName = Object.fromEntries(list.map((m: { name: string }) => [m.name, m]));
    expect(byName.loss).toMatchObject({ step: 'log', kind: 'scalar', count: 5000 });
    expect(byName.accuracy).toMatchObject({ step: 'log', count: 1 });
    expect(byName.best).toMatchObject({ step: null, runId: metricRun, count: 1 });
  });

  it('downsamples long series on the server, keeping the ends and the peaks', async () => {
    const r = await s.api('GET', `/api/v1/runs/${metricRun}/metric-series?name=loss&step=log&maxPoints=100`);
    expect(r).toMatchObject({ name: 'loss', kind: 'scalar', total: 5000, downsampled: true });
    expect(r.points.length).toBe(100);
    expect(r.points[0]).toMatchObject({ index: 0, value: 1 });
    expect(r.points[99].index).toBe(4999);
    expect(r.points.some((p: { value: number }) => p.value === 50)).toBe(true);
    const full = await s.api('GET', `/api/v1/runs/${metricRun}/metric-series?name=loss&step=log&maxPoints=10000`);
    expect(full.points.length).toBe(5000);
    expect(full.downsampled).toBe(false);
    expect((await s.api('GET', `/api/v1/runs/${metricRun}/metric-series?name=best`)).points[0].value).toBe(0.93);
    expect((await s.http('GET', `/api/v1/runs/${metricRun}/metric-series?name=nope`)).status).toBe(404);
  });

  it('pages through a series as it was logged', async () => {
    const url = (offset?: number) => `/api/v1/runs/${metricRun}/metric-series?name=loss&step=log&limit=2000${offset === undefined ? '' : `&offset=${offset}`}`;
    const values: number[] = [];
    const offsets: (number | null)[] = [];
    for (let next: number | null | undefined; next !== null; ) {
      const page = await s.api('GET', url(next));
      expect(page).toMatchObject({ name: 'loss', kind: 'scalar', total: 5000, downsampled: false });
      expect(page.points[0].index).toBe(next ?? 0);
      values.push(...page.points.map((p: { value: number }) => p.value));
      offsets.push((next = page.nextOffset));
    }
    expect(offsets).toEqual([2000, 4000, null]);
    expect(values).toEqual(Array.from({ length: 5000 }, (_, i) => (i === 2500 ? 50 : 1 / (i + 1))));
    expect((await s.api('GET', url(6000))).points).toEqual([]);
    expect((await s.http('GET', `/api/v1/runs/${metricRun}/metric-series?name=loss&step=log&offset=5`)).status).toBe(400);
    expect((await s.http('GET', `/api/v1/runs/${metricRun}/metric-series?name=nope&limit=5`)).status).toBe(404);
  });
});

describe('outputs, pipelines, datastores, datasets, tokens', () => {
  it('lists output folders', async () => {
    const out = await s.api('GET', `/api/v1/runs/${metricRun}/outputs`);
    expect(out).toEqual([expect.objectContaining({ step: 'log', name: 'model', exists: true, files: [], truncated: false })]);
  });

  it('lists pipeline files with their validation errors', async () => {
    const list = await s.api('GET', '/api/v1/pipelines');
    const byFile = Object.fromEntries(list.map((p: { file: string }) => [p.file, p]));
    expect(byFile['sample.yml']).toMatchObject({ valid: true, name: 'training-pipeline', steps: ['prepare_data', 'train_model'], errors: [] });
    expect(byFile['sample.yml'].parameters.reg_rate.type).toBe('number');
    expect(byFile['broken.yml'].valid).toBe(false);
    expect(byFile['broken.yml'].errors[0]).toMatch(/^pipelines\/broken\.yml:7:\d+: .*unknown step 'nope'/);
    const one = await s.api('GET', '/api/v1/pipelines/file?file=broken.yml');
    expect(one.text).toContain('name: broken');
  });

  it('lists the other pipeline files when one has a bad YAML alias', async () => {
    s.tw.write('pipelines/zz-alias.yml', 'steps:\n  a:\n    type: command\n    command: [*nope]\n');
    const list = await s.api('GET', '/api/v1/pipelines');
    const byFile = Object.fromEntries(list.map((p: { file: string }) => [p.file, p]));
    expect(byFile['sample.yml'].valid).toBe(true);
    expect(byFile['zz-alias.yml']).toMatchObject({ valid: false, errors: ["pipelines/zz-alias.yml:4:15: alias '*nope' names no anchor: '&nope' must be set before it"] });
    const one = await s.http('GET', '/api/v1/pipelines/file?file=zz-alias.yml');
    expect(one.status).toBe(200);
    expect(one.json.valid).toBe(false);
    const run = await s.http('POST', '/api/v1/runs', { body: { file: 'zz-alias.yml' } });
    expect(run.status).toBe(400);
    expect(run.json.error.details).toEqual([`${s.tw.dir}/pipelines/zz-alias.yml:4:15: alias '*nope' names no anchor: '&nope' must be set before it`]);
  });

  it('lists datastores and datasets', async () => {
    s.ws.store.datasets.register({ name: 'raw_data', paths: [{ datastore: 'default', path: 'raw' }], kind: 'tabular' });
    expect(await s.api('GET', '/api/v1/datastores')).toEqual([{ name: 'default', path: `${s.tw.dir}/datastores/default`, exists: true }]);
    expect((await s.api('GET', '/api/v1/datasets'))[0]).toMatchObject({ name: 'raw_data', version: 1, kind: 'tabular' });
    expect(await s.api('GET', '/api/v1/datasets/raw_data?version=1')).toMatchObject({ name: 'raw_data' });
    expect((await s.http('GET', '/api/v1/datasets/raw_data?version=2')).status).toBe(404);
  });

  it('creates, lists and revokes tokens', async () => {
    const created = await s.api('POST', '/api/v1/tokens', { name: 'ui-made' });
    expect(created.token).toMatch(/^mr_/);
    expect((await s.http('POST', '/api/v1/tokens', { body: { name: 'ui-made' } })).status).toBe(409);
    const list = await s.api('GET', '/api/v1/tokens');
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect(list.map((t: { name: string }) => t.name)).toEqual(['tester', 'ui-made']);
    expect((await s.http('GET', '/api/v1/info', { token: created.token })).status).toBe(200);
    await s.api('POST', '/api/v1/tokens/ui-made/revoke');
    expect((await s.http('GET', '/api/v1/info', { token: created.token })).status).toBe(401);
    expect((await s.api('GET', '/api/v1/tokens?includeRevoked=true')).find((t: { name: string }) => t.name === 'ui-made').revokedAt).not.toBeNull();
  });
});

describe('events', () => {
  it('streams run and step status changes as server-sent events', async () => {
    const events: { event: string; data: any }[] = [];
    const req = request({ host: '127.0.0.1', port: s.server.port, path: '/api/v1/events', headers: { authorization: `Bearer ${s.token}` } });
    const connected = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
          }
        });
        resolve();
      });
      req.on('error', reject);
    });
    req.end();
    await connected;
    const id = (await s.api('POST', '/api/v1/runs', { file: 'lines.yml', experiment: 'events' })).id;
    await s.waitFor(id);
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    const mine = events.filter((e) => e.data.runId === id);
    expect(mine.filter((e) => e.event === 'run').map((e) => e.data.status)).toEqual(['NotStarted', 'Running', 'Completed']);
    expect(mine.filter((e) => e.event === 'step').map((e) => e.data.status)).toEqual(['Preparing', 'Queued', 'Running', 'Finalizing', 'Completed']);
    expect(mine.find((e) => e.event === 'step')!.data).toMatchObject({ step: 'only', stepRunId: expect.any(String) });
    expect((await s.http('GET', '/api/v1/events', { token: null })).status).toBe(401);
  });
});
