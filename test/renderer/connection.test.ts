import { describe, expect, it } from 'vitest';
import type { MillraceBridge } from '../../shared/api/bridge.js';
import type { ApiError } from '../../shared/api/client.js';
import { connect, fileUrlFor } from '../../renderer/src/lib/api/connection.js';

type Listener = (payload: unknown) => void;

function fakeWindow(extra: Partial<Window> = {}): Window {
  return { location: { origin: 'http://127.0.0.1:8765' }, ...extra } as unknown as Window;
}

describe('transport selection', () => {
  it("uses the preload's bridge when window.millrace exists: calls, errors and events go through IPC", async () => {
    const listeners = new Map<string, Listener>();
    const bridge = {
      invoke: async (name: string) =>
        name === 'server/info' ? { ok: true, result: { name: 'millrace' } } : { ok: false, status: 404, error: { code: 'not_found', message: 'no run x' } },
      on: (event: string, l: Listener) => {
        listeners.set(event, l);
        return () => listeners.delete(event);
      },
    } as unknown as MillraceBridge;
    const c = connect(fakeWindow({ millrace: bridge } as Partial<Window>));
    expect(c.kind).toBe('ipc');
    expect(await c.client.call('server/info', {})).toEqual({ name: 'millrace' });
    const err = (await c.client.call('runs/get', { id: 'x' }).catch((e) => e)) as ApiError;
    expect([err.name, err.code, err.status, err.message]).toEqual(['ApiError', 'not_found', 404, 'no run x']);
    const seen: unknown[] = [];
    c.subscribe((e) => seen.push(e));
    listeners.get('run')!({ type: 'run', runId: 'r', status: 'Running' });
    listeners.get('step')!({ type: 'step', runId: 'r', step: 's', stepRunId: 'sr', status: 'Completed' });
    expect(seen).toHaveLength(2);
    const nav: string[] = [];
    c.onNavigate((id) => nav.push(id));
    listeners.get('navigate')!({ view: 'run', runId: 'r9' });
    expect(nav).toEqual(['r9']);
  });

  it('builds file-call URLs (downloads, images) from the contract path on each transport: the page origin, millrace://app in the desktop app', () => {
    const bridge = { invoke: async () => ({ ok: true, result: null }), on: () => () => {} } as unknown as MillraceBridge;
    const ipc = connect({ location: { origin: 'millrace://app' }, millrace: bridge } as unknown as Window);
    const http = connect(fakeWindow());
    const args = { id: 'r1', step: 's', output: 'o', path: 'dir/a b.csv' };
    const ipcUrl = ipc.fileUrl('runs/output-file', args)!;
    expect(ipcUrl).toBe('millrace://app/api/v1/runs/r1/outputs/s/o?path=dir%2Fa%20b.csv');
    expect(http.fileUrl('runs/output-file', args)).toBe('http://127.0.0.1:8765/api/v1/runs/r1/outputs/s/o?path=dir%2Fa%20b.csv');
    expect(fileUrlFor('millrace://app', 'runs/image', { id: 'r1', path: 'images/roc.png' })).toBe(ipc.fileUrl('runs/image', { id: 'r1', path: 'images/roc.png' }));
    // test/electron/app-files.test.ts: the desktop protocol maps such URLs back to the same call and args.
  });

  it('falls back to HTTP on the page origin, with the session cookie and no token in URLs', async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return new Response(JSON.stringify({ items: [], total: 0 }), { headers: { 'content-type': 'application/json' } });
    };
    const c = connect(fakeWindow({ fetch } as unknown as Partial<Window>));
    expect(c.kind).toBe('http');
    await c.client.call('runs/list', { status: 'Failed', limit: 5 });
    expect(requests[0].url).toBe('http://127.0.0.1:8765/api/v1/runs?status=Failed&limit=5');
    expect(requests[0].init.credentials).toBe('same-origin');
    expect(c.fileUrl('runs/output-file', { id: 'r', step: 's', output: 'o', path: 'a b.csv' })).toBe('http://127.0.0.1:8765/api/v1/runs/r/outputs/s/o?path=a%20b.csv');
  });
});
