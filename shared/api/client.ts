// A typed client over any transport: HTTP (browser, tests, scripts) now, Electron IPC later.
import type { ArgsIn, CallName, Result } from './contract.js';
import { httpRequestFor, type WireError } from './http.js';

export type Transport = (name: CallName, args: unknown) => Promise<unknown>;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export interface ApiClient {
  call<N extends CallName>(name: N, args: ArgsIn<N>): Promise<Result<N>>;
}

export const createClient = (transport: Transport): ApiClient => ({
  call: (name, args) => transport(name, args) as never,
});

/** The subset of `fetch` the client needs (the browser's, Node's, or a test double). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; json(): Promise<unknown>; text(): Promise<string> }>;

export interface HttpTransportOptions {
  baseUrl: string;
  fetch: FetchLike;
  /** A bearer token; in the browser the UI's session cookie is used instead. */
  token?: string;
}

/** Calls answered with a file (response 'file') resolve to the fetch response's text. */
export function httpTransport(o: HttpTransportOptions): Transport {
  const base = o.baseUrl.replace(/\/+$/, '');
  return async (name, args) => {
    const req = httpRequestFor(name, args as never);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (req.body) headers['content-type'] = 'application/json';
    const res = await o.fetch(`${base}${req.url}`, { method: req.method, headers, body: req.body ? JSON.stringify(req.body) : undefined });
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok) {
      const body = (type.includes('json') ? await res.json().catch(() => null) : null) as WireError | null;
      throw new ApiError(body?.error?.message ?? `HTTP ${res.status}`, body?.error?.code ?? 'http_error', res.status, body?.error?.details);
    }
    return type.includes('application/json') ? res.json() : res.text();
  };
}
