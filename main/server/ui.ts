// The web UI of `millrace serve`: the built renderer's static files at `/`, and a Jupyter-style
// login. `serve` prints `/login?code=<secret>`; that link sets an HttpOnly, SameSite=Strict
// session cookie and redirects to `/`. A code opens one browser once and lasts 10 minutes; a
// request with a used or expired code has a fresh one printed where `serve` runs (never to the
// requester). Sessions end after 12 hours without a request. Tokens never travel in query
// strings (the guard refuses them); a code only buys a cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packageRoot } from '../package-root.js';
import type { Caller } from '../core/context.js';

export const SESSION_COOKIE = 'millrace_session';
/** The only asset paths there are: /assets/<plain file name>. */
const ASSET_PATH = /^\/assets\/[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** How long a login code is good for, and how long a session lasts without a request. */
export const LOGIN_CODE_TTL_MS = 10 * 60 * 1000;
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;

export interface WebUiOptions {
  /** The built renderer (default dist/renderer of the package). */
  dir?: string;
  /** The first login code (tests); later ones are random. */
  code?: string;
  now?: () => number;
  /** Called with a fresh login path when someone used a spent or expired code: print it where `serve` runs. */
  onNewLogin?: (loginPath: string) => void;
}

export interface WebUi {
  /** Path + query of a valid login link (append to the server URL): the current code, or a fresh one. */
  readonly loginPath: string;
  session(req: FastifyRequest): Caller | null;
  register(app: FastifyInstance): void;
  isPublic(path: string): boolean;
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function createWebUi(opts: WebUiOptions = {}): WebUi {
  const dir = opts.dir ?? join(packageRoot(), 'dist', 'renderer');
  const now = opts.now ?? Date.now;
  let login = { code: opts.code ?? randomBytes(24).toString('base64url'), issuedAt: now(), used: false };
  /** Session id -> time of its last request. */
  const sessions = new Map<string, number>();

  const spent = () => login.used || now() - login.issuedAt > LOGIN_CODE_TTL_MS;
  const current = () => {
    if (spent()) login = { code: randomBytes(24).toString('base64url'), issuedAt: now(), used: false };
    return `/login?code=${login.code}`;
  };

  const sendFile = (rel: string) => {
    const abs = normalize(join(dir, rel));
    if (!abs.startsWith(dir + sep) || !existsSync(abs) || !statSync(abs).isFile()) return undefined;
    return { body: readFileSync(abs), type: MIME[extname(abs)] ?? 'application/octet-stream' };
  };
  const refused = (reply: FastifyReply, why: string) =>
    reply
      .code(401)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(`<!doctype html><title>Millrace</title><p>This login link is not valid: ${why}</p>`);

  return {
    get loginPath() {
      return current();
    },
    session(req) {
      const sid = cookieValue(req.headers.cookie, SESSION_COOKIE);
      const seen = sid === undefined ? undefined : sessions.get(sid);
      if (seen === undefined) return null;
      if (now() - seen > SESSION_IDLE_MS) {
        sessions.delete(sid!);
        return null;
      }
      sessions.set(sid!, now());
      return { kind: 'session' };
    },
    isPublic: (path) => path === '/' || path === '/index.html' || path === '/login' || path === '/favicon.svg' || ASSET_PATH.test(path),
    register(app) {
      app.get('/login', (req, reply) => {
        const given = (req.query as Record<string, unknown>).code;
        if (typeof given !== 'string' || !sameSecret(given, login.code)) {
          return refused(reply, 'open the newest link <code>millrace serve</code> printed.');
        }
        if (spent()) {
          // A fresh code goes to the terminal of `serve`, never to whoever holds the old one.
          opts.onNewLogin?.(current());
          return refused(reply, 'it was used already or is older than 10 minutes. A new link was printed where <code>millrace serve</code> runs.');
        }
        login.used = true;
        for (const [id, seen] of sessions) if (now() - seen > SESSION_IDLE_MS) sessions.delete(id);
        const sid = randomBytes(32).toString('base64url');
        sessions.set(sid, now());
        return reply
          .header('set-cookie', `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/`)
          .header('cache-control', 'no-store')
          .redirect('/', 302);
      });
      const index = (_req: FastifyRequest, reply: FastifyReply) => {
        const f = sendFile('index.html');
        if (!f) return reply.code(503).header('content-type', 'text/plain; charset=utf-8').send('The web UI is not built: run `npm run build`.');
        return reply
          .header('content-type', f.type)
          .header('cache-control', 'no-store')
          .header('content-security-policy', "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
          .send(f.body);
      };
      app.get('/', index);
      app.get('/index.html', index);
      app.get('/favicon.svg', (_req, reply) => {
        const f = sendFile('favicon.svg');
        return f ? reply.header('content-type', f.type).send(f.body) : reply.code(404).send();
      });
      app.get('/assets/*', (req, reply) => {
        const name = (req.params as { '*': string })['*'];
        // Vite writes assets flat into assets/: a plain file name, nothing that climbs out.
        const f = ASSET_PATH.test(`/assets/${name}`) ? sendFile(join('assets', name)) : undefined;
        if (!f) return reply.code(404).send({ error: { code: 'not_found', message: 'no such file' } });
        // Vite puts a content hash in asset names: cache them for good.
        return reply.header('content-type', f.type).header('cache-control', 'public, max-age=31536000, immutable').send(f.body);
      });
    },
  };
}
