// From a call of the contract to an HTTP request and back: the client and the server share this.
import { httpStatusOf } from '../errors.js';
import { API, API_PREFIX, type ArgsIn, type CallName } from './contract.js';

/** `:name` segments of a path. */
export const pathParams = (path: string): string[] => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);

export interface HttpRequestSpec {
  method: string;
  /** Path with the /api/v1 prefix and the query string. */
  url: string;
  /** JSON body for POST/DELETE calls. */
  body?: Record<string, unknown>;
}

export function httpRequestFor<N extends CallName>(name: N, args: ArgsIn<N>): HttpRequestSpec {
  const def = API[name];
  const rest: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  const path = def.path.replace(/:(\w+)/g, (_, k: string) => {
    const v = rest[k];
    delete rest[k];
    if (v === undefined || v === null || v === '') throw new Error(`${name}: missing '${k}'`);
    return encodeURIComponent(String(v));
  });
  for (const k of Object.keys(rest)) if (rest[k] === undefined) delete rest[k];
  if (def.method === 'GET') {
    const qs = Object.entries(rest).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
    return { method: 'GET', url: `${API_PREFIX}${path}${qs ? `?${qs}` : ''}` };
  }
  return { method: def.method, url: `${API_PREFIX}${path}`, body: rest };
}

/** HTTP status of an error code (UserError.code / the wire's error.code). */
export const statusForCode = httpStatusOf;

/** The wire shape of every error (DESIGN.md section 7). */
export interface WireError {
  error: { code: string; message: string; details?: string[] };
}
