// The web UI of `millrace serve`: the built renderer's static files at `/`, and a Jupyter-style
// login. `serve` prints `/login?code=<per-serve secret>`; that link sets an HttpOnly,
// SameSite=Strict session cookie and redirects to `/`. Tokens never travel in query strings
// (the guard refuses them); the one-use-per-serve code only buys a cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { packageRoot } from '../package-root.js';
import type { Caller } from './context.js';

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

export interface WebUi {
  /** Path + query of the login link (append to the server URL). */
  loginPath: string;
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

/** `dir`: the built renderer (default dist/renderer of the package). */
export function createWebUi(opts: { dir?: string; code?: string } = {}): WebUi {
  const dir = opts.dir ?? join(packageRoot(), 'dist', 'renderer');
  const code = opts.code ?? randomBytes(24).toString('base64url');
  const sessions = new Set<string>();

  const sendFile = (rel: string) => {
    const abs = normalize(join(dir, rel));
    if (!abs.startsWith(dir + sep) || !existsSync(abs) || !statSync(abs).isFile()) return undefined;
    return { body: readFileSync(abs), type: MIME[extname(abs)] ?? 'application/octet-stream' };
  };

  return {
    loginPath: `/login?code=${code}`,
    session(req) {
      const sid = cookieValue(req.headers.cookie, SESSION_COOKIE);
      return sid && sessions.has(sid) ? { kind: 'session' } : null;
    },
    isPublic: (path) => path === '/' || path === '/index.html' || path === '/login' || path === '/favicon.svg' || ASSET_PATH.test(path),
    register(app) {
      app.get('/login', (req, reply) => {
        const given = (req.query as Record<string, unknown>).code;
        if (typeof given !== 'string' || !sameSecret(given, code)) {
          return reply
            .code(401)
            .header('content-type', 'text/html; charset=utf-8')
            .send('<!doctype html><title>Millrace</title><p>This login link is not valid. Open the link <code>millrace serve</code> printed when it started.</p>');
        }
        const sid = randomBytes(32).toString('base64url');
        sessions.add(sid);
        return reply
          .header('set-cookie', `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/`)
          .header('cache-control', 'no-store')
          .redirect('/', 302);
      });
      const index = (_req: FastifyRequest, reply: import('fastify').FastifyReply) => {
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
