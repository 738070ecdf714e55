// The web UI's static files and its Jupyter-style login: /login?code=... buys an HttpOnly,
// SameSite=Strict session cookie that the API then accepts instead of a bearer token.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieValue, createWebUi, SESSION_COOKIE } from '../../main/server/ui.js';
import { rawHttp, serve, type Served } from './helpers.js';

describe('web UI login and static files', () => {
  let s: Served;
  let dir: string;
  const ui = () => createWebUi({ dir, code: 'secret-code' });
  const get = (path: string, headers: Record<string, string> = {}) => rawHttp(s.server.port, 'GET', path, headers);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'millrace-ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Millrace</title>');
    writeFileSync(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not public');
    const web = ui();
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
    const good = await get('/login?code=secret-code');
    const cookie = String(good.headers['set-cookie']).split(';')[0];
    const res = await rawHttp(s.server.port, 'POST', '/api/v1/runs', { cookie, 'content-type': 'application/json' }, JSON.stringify({ file: 'sample.yml' }));
    expect(res.status).toBe(200);
    expect(res.json.trigger).toEqual({ kind: 'manual' });
    await s.waitFor(res.json.id);
  });

  it('tokens in the query string stay refused, also on the login route', async () => {
    expect((await get('/login?code=secret-code&token=x')).status).toBe(400);
  });
});
