// A real server on a random loopback port over a fresh workspace, and raw HTTP that can set any header.
import { request } from 'node:http';
import { startServer, type RunningServer, type ServerOptions } from '../../main/server/server.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

export interface Served {
  tw: TempWorkspace;
  ws: Workspace;
  server: RunningServer;
  token: string;
  http(method: string, path: string, o?: { headers?: Record<string, string>; body?: unknown; raw?: string; token?: string | null }): Promise<HttpAnswer>;
  /** Authenticated JSON call; throws on non-2xx unless `expect` is given. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  waitFor(runId: string, done?: (status: string) => boolean, timeoutMs?: number): Promise<any>;
  stop(): Promise<void>;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export const QUICK_CONFIG = `compute:\n  local: { type: local, max_concurrency: 2 }\nexecutor: { kill_grace_ms: 300 }\n`;

export function rawHttp(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: !('host' in headers || 'Host' in headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function serve(o: { config?: string; server?: ServerOptions; tokenName?: string } = {}): Promise<Served> {
  const tw = tempWorkspace(o.config ?? QUICK_CONFIG);
  const ws = tw.open();
  const { token } = ws.store.tokens.create(o.tokenName ?? 'tester');
  const server = await startServer(ws, { host: '127.0.0.1', port: 0, foreignRunsPollMs: 200, ...o.server });
  const http: Served['http'] = (method, path, h = {}) => {
    const headers: Record<string, string> = { ...(h.headers ?? {}) };
    const tok = h.token === undefined ? token : h.token;
    if (tok) headers.authorization = `Bearer ${tok}`;
    let body = h.raw;
    if (h.body !== undefined) {
      body = JSON.stringify(h.body);
      headers['content-type'] ??= 'application/json';
    }
    return rawHttp(server.port, method, path, headers, body);
  };
  const api: Served['api'] = async (method, path, body) => {
    const r = await http(method, path, { body });
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path} -> ${r.status} ${r.text}`);
    return r.json;
  };
  const waitFor: Served['waitFor'] = async (runId, done = (s) => ['Completed', 'Failed', 'Canceled'].includes(s), timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = ws.store.runs.get(runId);
      if (done(r.status)) return r;
      if (Date.now() > end) throw new Error(`run ${runId} still ${r.status}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  return {
    tw, ws, server, token, http, api, waitFor,
    stop: async () => {
      await server.close();
      ws.close();
      tw.cleanup();
    },
  };
}

/** A pipeline whose one command step runs `argv` (no reuse). */
export const commandPipeline = (name: string, argv: string[], extra = '') =>
  `name: ${name}\n${extra}steps:\n  only:\n    type: command\n    command: ${JSON.stringify(argv)}\n    allow_reuse: false\n`;
