// The IPC bridge over the real core (workspace, run manager, server, the HTTP handlers' dispatch),
// driven through fake ipcMain/webContents objects: routing, sender checks, schema rejection,
// errors as data, event forwarding, and a shutdown that records the runs in flight as Canceled.
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE, ipcTransport, type IpcReply, type MillraceBridge } from '../../shared/api/bridge.js';
import { ApiError, createClient } from '../../shared/api/client.js';
import { startCore, type Core } from '../../main/core/host.js';
import { forwardRunEvents, registerIpcBridge, type IpcMainLike, type WebContentsLike } from '../../main/electron/ipc-bridge.js';
import { dispatch } from '../../main/core/dispatch.js';
import { tempWorkspace } from '../helpers/workspace.js';
import { commandPipeline, QUICK_CONFIG } from '../server/helpers.js';

type Handler = (event: any, ...args: unknown[]) => unknown;
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, h: Handler) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, h);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would get, from a given frame. */
  invoke(frame: { url: string; parent: unknown } | null, ...args: unknown[]): Promise<IpcReply> {
    return Promise.resolve(this.handlers.get(IPC_INVOKE)!({ senderFrame: frame, sender: appContents }, ...args)) as Promise<IpcReply>;
  }
}
class FakeWebContents implements WebContentsLike {
  sent: Array<[string, unknown]> = [];
  destroyed = false;
  send(channel: string, message: unknown) {
    this.sent.push([channel, message]);
  }
  isDestroyed() {
    return this.destroyed;
  }
}
const appContents = new FakeWebContents();
const APP_FRAME = { url: 'millrace://app/index.html', parent: null };

const until = async (what: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup() {
  const tw = tempWorkspace(QUICK_CONFIG);
  tw.write('pipelines/sleep.yml', commandPipeline('sleeper', ['sleep', '30']));
  cleanup.push(() => tw.cleanup());
  const core = await startCore(tw.dir, { server: { port: 0, foreignRunsPollMs: 0 } });
  cleanup.push(() => core.dispose());
  const ipc = new FakeIpcMain();
  const errors: string[] = [];
  const dispose = registerIpcBridge(ipc, { dispatch, context: () => core.context(), logError: (m) => errors.push(m), isOurWebContents: (s) => s === appContents });
  cleanup.push(dispose);
  // The renderer's view: the typed client over the bridge, as the preload would expose it.
  const bridge: MillraceBridge = { invoke: (name, args) => ipc.invoke(APP_FRAME, name, args), on: () => () => {} };
  return { tw, core, ipc, errors, dispose, client: createClient(ipcTransport(bridge)) };
}

describe('IPC bridge', () => {
  it('routes calls by name to the same handlers as HTTP, with the caller context of the desktop', async () => {
    const { core, client, tw } = await setup();
    const info = await client.call('server/info', {});
    expect(info).toMatchObject({ workspace: tw.dir });
    const pipelines = await client.call('pipelines/list', {});
    expect(pipelines.map((p) => p.file)).toContain('sleep.yml');
    const created = await client.call('tokens/create', { name: 'ci' });
    expect(created.token).toMatch(/^mr_/);
    expect(core.context().caller.kind).toBe('session');
  });

  it('validates arguments with the contract schemas: unknown, missing and wrong-typed arguments are refused as data', async () => {
    const { ipc } = await setup();
    const unknown = await ipc.invoke(APP_FRAME, 'pipelines/list', { extra: 1 });
    expect(unknown).toMatchObject({ ok: false, status: 400, error: { code: 'invalid_input' } });
    expect((unknown as any).error.details).toContain("unknown argument 'extra'");
    const missing = await ipc.invoke(APP_FRAME, 'runs/submit', {});
    expect(missing).toMatchObject({ ok: false, status: 400, error: { code: 'invalid_input', details: ['file: is required'] } });
    expect(await ipc.invoke(APP_FRAME, 'tokens/create', { name: 42 })).toMatchObject({ ok: false, status: 400 });
    expect(await ipc.invoke(APP_FRAME, 'no/such-call', {})).toMatchObject({ ok: false, status: 404, error: { code: 'not_found' } });
    expect(await ipc.invoke(APP_FRAME, 'constructor', {})).toMatchObject({ ok: false, status: 404 });
    expect(await ipc.invoke(APP_FRAME, { name: 'x' }, {})).toMatchObject({ ok: false, status: 400 });
  });

  it('turns refusals into ApiErrors on the client, as the HTTP transport does', async () => {
    const { client } = await setup();
    const e = await client.call('runs/get', { id: 'nope' }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect([e.code, e.status]).toEqual(['not_found', 404]);
  });

  it('accepts calls from the app main frame only', async () => {
    const { ipc, errors } = await setup();
    for (const frame of [
      null,
      { url: 'millrace://app/index.html', parent: { url: 'millrace://app/index.html' } },
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///home/u/index.html', parent: null },
      { url: 'millrace://other/index.html', parent: null },
      { url: 'devtools://devtools/bundled/inspector.html', parent: null },
    ]) {
      expect(await ipc.invoke(frame, 'server/info', {}), JSON.stringify(frame)).toMatchObject({ ok: false, status: 403, error: { code: 'forbidden' } });
    }
    const foreign = await Promise.resolve(ipc.handlers.get(IPC_INVOKE)!({ senderFrame: APP_FRAME, sender: new FakeWebContents() }, 'server/info', {}));
    expect(foreign).toMatchObject({ ok: false, status: 403 });
    expect(errors).toHaveLength(7);
  });

  it('answers internal errors with a generic message and logs the details', async () => {
    const ipc = new FakeIpcMain();
    const errors: string[] = [];
    registerIpcBridge(ipc, { dispatch: async () => { throw new Error('secret detail'); }, context: () => ({}) as never, logError: (m) => errors.push(m) });
    const r = await ipc.invoke(APP_FRAME, 'server/info', {});
    expect(r).toMatchObject({ ok: false, status: 500, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(errors[0]).toContain('secret detail');
  });

  it('registers one handler and removes it on dispose', async () => {
    const { ipc, dispose } = await setup();
    expect([...ipc.handlers.keys()]).toEqual([IPC_INVOKE]);
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('forwards run and step events to live windows, and a shutdown records the runs in flight as Canceled', async () => {
    const { core, client, tw } = await setup();
    const live = new FakeWebContents();
    const closed = new FakeWebContents();
    closed.destroyed = true;
    const stop = forwardRunEvents(core.runs, () => [live, closed]);
    const run = await client.call('runs/submit', { file: 'pipelines/sleep.yml' });
    await until(() => core.ws.store.runs.get(run.id).steps[0]?.status === 'Running');
    const messages = live.sent.filter(([ch]) => ch === IPC_EVENT).map(([, m]) => m as any);
    expect(messages.some((m) => m.event === 'run' && m.payload.runId === run.id && m.payload.status === 'NotStarted')).toBe(true);
    expect(messages.some((m) => m.event === 'step' && m.payload.status === 'Running')).toBe(true);
    expect(closed.sent).toEqual([]);
    expect(core.inFlight()).toBe(1);

    await core.dispose();
    const ws = tw.open();
    const after = ws.store.runs.get(run.id);
    ws.close();
    expect(after.status).toBe('Canceled');
    expect(after.steps.map((s) => s.status)).toEqual(['Canceled']);
    const count = live.sent.length;
    stop();
    expect(live.sent.some(([, m]: any) => m.event === 'run' && m.payload.status === 'Canceled')).toBe(true);
    expect(live.sent.length).toBe(count);
  });
});
