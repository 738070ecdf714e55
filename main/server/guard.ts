// Who may talk to the server at all, checked before any route runs (and before a body is read):
// exactly one Host header, pinned (DNS rebinding), origins other than this server's own scheme,
// host and port refused (CSRF from a web page), tokens never taken from the query string, and
// every non-public request needs a valid bearer token or a UI session.
import { hostname, networkInterfaces } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../../shared/errors.js';
import type { TokenStore } from '../store/token-store.js';
import type { Caller } from '../core/context.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const QUERY_TOKEN_KEYS = new Set(['access_token', 'token', 'bearer', 'api_key', 'apikey', 'api-key', 'auth', 'authorization', 'key']);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
export const isWildcard = (host: string): boolean => ['0.0.0.0', '::', '[::]', ''].includes(host);

/** Host names a request may name in its Host header (and an Origin may have), lower case, no brackets. */
export function allowedHostNames(bindHost: string, extra: string[] = []): Set<string> {
  const names = new Set<string>(LOOPBACK_NAMES);
  const add = (h: string) => names.add(h.replace(/^\[|\]$/g, '').toLowerCase());
  add(bindHost);
  for (const h of extra) add(h);
  if (isWildcard(bindHost)) {
    // Listening on every interface (only with --allow-remote): this machine's own names and addresses.
    add(hostname());
    add(`${hostname()}.local`);
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) add(a.address);
  }
  names.delete('');
  names.delete('0.0.0.0');
  names.delete('::');
  return names;
}

/** `host[:port]` or `[v6][:port]` -> parts; undefined when malformed. */
export function parseHostHeader(value: string): { name: string; port: number | null } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]/\s@]+))(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return undefined;
  return { name: (m[1] ?? m[2]).toLowerCase(), port: m[3] ? Number(m[3]) : null };
}

export interface GuardOptions {
  allowedHosts: Set<string>;
  /** The port actually bound (known after listen). */
  port: () => number;
  tokens: TokenStore;
  /** The studio's session check (cookie): a caller, or null. */
  session?: (req: FastifyRequest) => Caller | null;
  /** Paths served without authentication (the UI's static files; none yet). */
  isPublic?: (path: string) => boolean;
}

function hostMatches(o: GuardOptions, name: string, port: number | null): boolean {
  return o.allowedHosts.has(name) && (port === null ? o.port() === 80 : port === o.port());
}

/** Throws a UserError (the transport turns it into 401/403/421/400) or returns the caller. */
export function checkRequest(o: GuardOptions, req: FastifyRequest): Caller | null {
  // Node keeps the first of several Host headers; a proxy or a cache may act on another one.
  const hostHeaders = req.raw.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'host').length;
  if (hostHeaders > 1) throw new UserError(`the request has ${hostHeaders} Host headers; send exactly one`, 'bad_request');
  const host = parseHostHeader(String(req.headers.host ?? ''));
  if (!host || !hostMatches(o, host.name, host.port)) {
    throw new UserError(`this server does not answer for host '${req.headers.host ?? ''}'`, 'misdirected_request');
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let ok = false;
    try {
      const u = new URL(origin);
      // This server speaks plain HTTP: https://127.0.0.1:PORT is another origin, as a browser sees it.
      const port = u.port ? Number(u.port) : 80;
      ok = u.protocol === 'http:' && hostMatches(o, u.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port);
    } catch {
      ok = false;
    }
    if (!ok) throw new UserError(`requests from origin '${origin}' are refused`, 'forbidden_origin');
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new UserError('cross-site requests are refused', 'forbidden_origin');
  const q = req.url.indexOf('?');
  if (q >= 0) {
    for (const key of new URLSearchParams(req.url.slice(q + 1)).keys()) {
      if (QUERY_TOKEN_KEYS.has(key.toLowerCase())) {
        throw new UserError(`tokens are never accepted in the query string ('${key}'); send "Authorization: Bearer <token>"`, 'token_in_query');
      }
    }
  }
  const path = q >= 0 ? req.url.slice(0, q) : req.url;
  if (o.isPublic?.(path)) return null;
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(auth);
    if (!m) throw new UserError('the Authorization header must be "Bearer <token>"', 'unauthorized');
    const name = o.tokens.verify(m[1]);
    if (!name) throw new UserError('invalid or revoked token', 'unauthorized');
    return { kind: 'token', name };
  }
  const session = o.session?.(req);
  if (session) return session;
  throw new UserError('authentication required: send "Authorization: Bearer <token>" (create one with `millrace token create NAME`)', 'unauthorized');
}

export function sendWireError(reply: FastifyReply, status: number, body: unknown): void {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="millrace"');
  void reply.code(status).send(body);
}
