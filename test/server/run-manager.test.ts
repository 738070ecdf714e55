// The run manager of a serving process: a FIFO limited to maxParallelRuns, cancel of waiting,
// running and foreign runs, events, and a shutdown that leaves every run Canceled, never Running.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api/events.js';
import { RunManager } from '../../main/executor/run-manager.js';
import { startServer } from '../../main/server/server.js';
import { cliAsync, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { commandPipeline, QUICK_CONFIG, rawHttp, serve, type Served } from './helpers.js';

const SLEEP = commandPipeline('sleeper', ['sleep', '30']);
const until = async (what: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function workspace(): TempWorkspace {
  const tw = tempWorkspace(QUICK_CONFIG);
  tw.write('pipelines/sleep.yml', SLEEP);
  cleanup.push(() => tw.cleanup());
  return tw;
}

describe('RunManager', () => {
  it('drives at most maxParallelRuns at once, in submit order, and cancels waiting and running runs', async () => {
    const tw = workspace();
    const ws = tw.open();
    cleanup.push(() => ws.close());
    const m = new RunManager(ws, { maxParallelRuns: 1 });
    cleanup.push(() => m.dispose());
    const events: ApiEvent[] = [];
    m.subscribe((e) => events.push(e));
    const file = `${tw.dir}/pipelines/sleep.yml`;
    const ids = [1, 2, 3].map(() => m.submit(file, { trigger: { kind: 'rest', token: 't' } }).runId);
    // Acknowledged means recorded.
    for (const id of ids) expect(ws.store.runs.get(id).status).toBe('NotStarted');
    const status = (id: string) => ws.store.runs.get(id).status;
    await until(() => ws.store.runs.get(ids[0]).steps[0].status === 'Running');
    expect([status(ids[1]), status(ids[2])]).toEqual(['NotStarted', 'NotStarted']);
    expect(m.counts).toEqual({ waiting: 2, running: 1 });

    expect(m.cancel(ids[1])).toBe('canceled');
    expect(status(ids[1])).toBe('Canceled');
    expect(ws.store.runs.get(ids[1]).steps.map((s) => s.status)).toEqual(['Canceled']);

    expect(m.cancel(ids[0])).toBe('canceled');
    await until(() => status(ids[0]) === 'Canceled');
    await until(() => status(ids[2]) === 'Running');
    expect(m.cancel(ids[1])).toBe('already-ended');

    await m.dispose();
    expect(ids.map(status)).toEqual(['Canceled', 'Canceled', 'Canceled']);
    expect(ws.store.runs.get(ids[2]).steps[0].status).toBe('Canceled');
    expect(() => m.submit(file, { trigger: { kind: 'rest', token: 'ci' } })).toThrow(/shutting down/);
    const runEvents = events.filter((e) => e.type === 'run' && e.runId === ids[1]).map((e) => e.status);
    expect(runEvents).toEqual(['NotStarted', 'Canceled']);
  });

  it('validates before it records: a bad submit leaves nothing behind', () => {
    const tw = workspace();
    const ws = tw.open();
    cleanup.push(() => ws.close());
    const m = new RunManager(ws);
    cleanup.push(() => m.dispose());
    expect(() => m.submit(`${tw.dir}/pipelines/sleep.yml`, { trigger: { kind: 'rest', token: 'ci' }, parameters: { x: 1 } })).toThrow(/unknown parameter/);
    expect(() => m.submit(`${tw.dir}/pipelines/none.yml`, { trigger: { kind: 'rest', token: 'ci' } })).toThrow(/cannot read/);
    expect(ws.store.runQueries.page({ limit: 10, offset: 0 }).total).toBe(0);
    expect(m.counts).toEqual({ waiting: 0, running: 0 });
  });
});

describe('the server and runs', () => {
  let s: Served | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('cancels its in-flight and waiting runs on close: each ends Canceled, none stays Running', async () => {
    s = await serve({ server: { maxParallelRuns: 1 } });
    s.tw.write('pipelines/sleep.yml', SLEEP);
    const a = (await s.api('POST', '/api/v1/runs', { file: 'sleep.yml' })).id;
    const b = (await s.api('POST', '/api/v1/runs', { file: 'sleep.yml' })).id;
    await s.waitFor(a, (st) => st === 'Running');
    await until(() => s!.ws.store.runs.get(a).steps[0].status === 'Running');
    await s.server.close();
    for (const id of [a, b]) {
      const r = s.ws.store.runs.get(id);
      expect(r.status).toBe('Canceled');
      expect(r.endedAt).not.toBeNull();
      expect(r.steps.every((st) => st.status === 'Canceled')).toBe(true);
    }
    // A closed server answers nothing any more.
    await expect(rawHttp(s.server.port, 'GET', '/api/v1/info', { authorization: `Bearer ${s.token}` })).rejects.toThrow();
  });

  it('cancels a run another process drives through the cancel flag, and streams its status changes', async () => {
    s = await serve();
    const served = s;
    served.tw.write('pipelines/sleep.yml', SLEEP);
    const events: ApiEvent[] = [];
    served.server.runs.subscribe((e) => events.push(e));
    const child = cliAsync(['run', 'pipelines/sleep.yml', '-w', served.tw.dir, '--json']);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    cleanup.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let runId = '';
    await until(() => {
      const page = served.ws.store.runQueries.page({ limit: 1, offset: 0 });
      runId = page.items[0]?.id ?? '';
      return !!runId && served.ws.store.runs.get(runId).steps[0].status === 'Running';
    });
    expect(served.server.runs.owns(runId)).toBe(false);
    const r = await served.api('POST', `/api/v1/runs/${runId}/cancel`);
    expect(r.id).toBe(runId);
    expect(await exited).toBe(1);
    expect(served.ws.store.runs.get(runId).status).toBe('Canceled');
    await until(() => events.some((e) => e.type === 'run' && e.runId === runId && e.status === 'Canceled'), 5000);
    expect(events.some((e) => e.type === 'step' && e.runId === runId && e.status === 'Canceled')).toBe(true);
  });

  it('acknowledges every concurrent submit while runs execute, each already in the store, none failing', async () => {
    s = await serve();
    s.tw.write('pipelines/quick.yml', commandPipeline('quick', ['true']));
    const served = s;
    const pub = await served.api('POST', '/api/v1/published-pipelines', { file: 'quick.yml', name: 'quick' });
    const path = `/pipelines/v1.0/PipelineRuns/PipelineSubmit/${pub.id}`;
    const ids: string[] = [];
    const statuses: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next++ < 150) {
        const r = await served.http('POST', path, { body: { ExperimentName: 'load' } });
        statuses.push(r.status);
        if (r.status === 200) {
          ids.push(r.json.Id);
          expect(served.ws.store.runs.state(r.json.Id)).toBeDefined();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(statuses.filter((x) => x !== 200)).toEqual([]);
    expect(ids.length).toBe(150);
    for (const id of ids) expect((await served.waitFor(id)).status).toBe('Completed');
  });

  it('does not start a server whose port is taken, and leaves the workspace usable', async () => {
    s = await serve();
    await expect(startServer(s.ws, { port: s.server.port, foreignRunsPollMs: 0 })).rejects.toThrow(/EADDRINUSE/);
    expect((await s.http('GET', '/api/v1/info')).status).toBe(200);
  });
});
