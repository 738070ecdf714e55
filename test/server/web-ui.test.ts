// The web UI's static files and its Jupyter-style login: /login?code=... buys an HttpOnly,
// SameSite=Strict session cookie that the API then accepts instead of a bearer token. A code
// opens one browser within 10 minutes; a session ends after 12 hours without a request.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieValue, createWebUi, LOGIN_CODE_TTL_MS, SESSION_COOKIE, SESSION_IDLE_MS, type WebUi } from '../../main/server/ui.js';
import { cliAsync, tempWorkspace } from '../helpers/workspace.js';
import { rawHttp, serve, type Served } from './helpers.js';

describe('web UI login and static files', () => {
  let s: Served;
  let dir: string;
  let web: WebUi;
  let clock = Date.now();
  const printed: string[] = [];
  const get = (path: string, headers: Record<string, string> = {}) => rawHttp(s.server.port, 'GET', path, headers);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'millrace-ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Millrace</title>');
    writeFileSync(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not public');
    web = createWebUi({ dir, code: 'secret-code', now: () => clock, onNewLogin: (p) => printed.push(p) });
    s = await serve({ server: { ui: web, session: web.session } });
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page and its assets without authentication, nothing else', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const asset = await get('/assets/app-123.js');
    expect([asset.status, asset.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect((await get('/assets/../secret.txt')).status).not.toBe(200);
    expect((await get('/assets/%2e%2e/secret.txt')).status).not.toBe(200);
    expect((await get('/secret.txt')).status).toBe(401);
    expect((await get('/api/v1/runs')).status).toBe(401);
  });

  it('a wrong code gets 401 and no cookie; the right one a Strict HttpOnly cookie and a redirect to /', async () => {
    const bad = await get('/login?code=nope');
    expect(bad.status).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const good = await get('/login?code=secret-code');
    expect(good.status).toBe(302);
    expect(good.headers.location).toBe('/');
    const cookie = String(good.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const sid = cookieValue(cookie.split(';')[0], SESSION_COOKIE)!;
    const runs = await get('/api/v1/runs', { cookie: `other=1; ${SESSION_COOKIE}=${sid}` });
    expect(runs.status).toBe(200);
    expect((await get('/api/v1/runs', { cookie: `${SESSION_COOKIE}=forged` })).status).toBe(401);
  });

  it('runs submitted with the session record a manual trigger', async () => {
    const good = await get(web.loginPath);
    const cookie = String(good.headers['set-cookie']).split(';')[0];
    const res = await rawHttp(s.server.port, 'POST', '/api/v1/runs', { cookie, 'content-type': 'application/json' }, JSON.stringify({ file: 'sample.yml' }));
    expect(res.status).toBe(200);
    expect(res.json.trigger).toEqual({ kind: 'manual' });
    await s.waitFor(res.json.id);
  });

  it('tokens in the query string stay refused, also on the login route', async () => {
    expect((await get(`${web.loginPath}&token=x`)).status).toBe(400);
  });

  const signIn = async () => {
    const r = await get(web.loginPath);
    expect(r.status).toBe(302);
    return String(r.headers['set-cookie']).split(';')[0];
  };

  it('a code signs in once: used again it gets 401, no cookie, and a new link is printed for serve, not sent', async () => {
    const path = web.loginPath;
    expect((await get(path)).status).toBe(302);
    printed.length = 0;
    const again = await get(path);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.text).toMatch(/used already or is older than 10 minutes/);
    expect(printed).toHaveLength(1);
    expect(printed[0]).not.toBe(path);
    expect(again.text).not.toContain(printed[0].split('=')[1]);
    expect((await get(printed[0])).status).toBe(302);
  });

  it('a code expires after 10 minutes; a wrong code never replaces the valid one', async () => {
    const path = web.loginPath;
    expect((await get('/login?code=guess')).status).toBe(401);
    expect(web.loginPath).toBe(path);
    clock += LOGIN_CODE_TTL_MS + 1;
    printed.length = 0;
    expect((await get(path)).status).toBe(401);
    expect(printed).toHaveLength(1);
    expect((await get(printed[0])).status).toBe(302);
  });

  it('a session lasts while it is used and ends after 12 hours without a request', async () => {
    const cookie = await signIn();
    clock += SESSION_IDLE_MS - 60_000;
    expect((await get('/api/v1/info', { cookie })).status).toBe(200);
    clock += SESSION_IDLE_MS - 60_000; // 24 h after sign-in, but each gap is under 12 h
    expect((await get('/api/v1/info', { cookie })).status).toBe(200);
    clock += SESSION_IDLE_MS + 1;
    expect((await get('/api/v1/info', { cookie })).status).toBe(401);
    clock += 1; // and it stays ended
    expect((await get('/api/v1/info', { cookie })).status).toBe(401);
  });
});

describe('millrace serve and its login link (npm run build first)', () => {
  it('prints a fresh link where it runs (stderr with --json) when the printed one is opened again', async () => {
    const tw = tempWorkspace();
    const child = cliAsync(['serve', '--port', '0', '--json', '--no-schedules', '-w', tw.dir]);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('exit', r));
    try {
      const until = async (what: string, ok: () => boolean) => {
        const end = Date.now() + 20_000;
        while (!ok()) {
          if (Date.now() > end || child.exitCode !== null) throw new Error(`${what}: ${err}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      await until('serve did not start', () => out.includes('}'));
      const login = new URL(JSON.parse(out).loginUrl);
      const port = Number(login.port);
      const path = `${login.pathname}${login.search}`;
      expect((await rawHttp(port, 'GET', path, {})).status).toBe(302);
      expect((await rawHttp(port, 'GET', path, {})).status).toBe(401);
      const fresh = /New login link for the studio \(the last one was used or expired\): (http:\S+)/;
      await until('no new link printed', () => fresh.test(err));
      const next = new URL(fresh.exec(err)![1]);
      expect(next.search).not.toBe(login.search);
      expect((await rawHttp(port, 'GET', `${next.pathname}${next.search}`, {})).status).toBe(302);
      expect(out.trim().split('\n').length).toBe(JSON.stringify(JSON.parse(out), null, 2).split('\n').length); // stdout: still one document
    } finally {
      child.kill('SIGTERM');
      await exited;
      tw.cleanup();
    }
  });
});
