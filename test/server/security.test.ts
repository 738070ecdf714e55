// Every request is checked before anything runs: Host pinning, Origin, tokens (header only,
// constant-time hash compare, revocable), JSON only with a size limit, no path escapes.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../main/server/server.js';
import { commandPipeline, serve, type Served } from './helpers.js';

let s: Served;
let publishedId: string;
let runId: string;

const runCount = () => s.ws.store.runQueries.page({ limit: 1, offset: 0 }).total;

/** Sends bytes as they are (duplicate headers, broken syntax) and resolves with the status line and the JSON body. */
function rawRequest(port: number, data: string): Promise<{ status: number; json: any; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = out.split('\r\n\r\n');
      const text = rest.join('\r\n\r\n');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(head.split(' ')[1]), json, text });
    });
    socket.end(data);
  });
}
const wireShape = { error: { code: expect.any(String), message: expect.any(String) } };

beforeAll(async () => {
  s = await serve();
  s.tw.write('pipelines/echo.yml', commandPipeline('echo', ['sh', '-c', 'echo hi > "$0/out.txt"', '${{outputs.out}}']).replace('    allow_reuse: false\n', '    allow_reuse: false\n    outputs:\n      out: { datastore: default }\n'));
  const pub = await s.api('POST', '/api/v1/published-pipelines', { file: 'echo.yml', name: 'echo' });
  publishedId = pub.id;
  const sub = await s.api('POST', `/pipelines/v1.0/PipelineRuns/PipelineSubmit/${publishedId}`, { ExperimentName: 'sec' });
  runId = sub.Id;
  await s.waitFor(runId);
});
afterAll(() => s.stop());

describe('authentication', () => {
  const submitPath = () => `/pipelines/v1.0/PipelineRuns/PipelineSubmit/${publishedId}`;

  it('refuses a submit without a token with 401, and nothing runs', async () => {
    const before = runCount();
    const r = await s.http('POST', submitPath(), { token: null, body: { ExperimentName: 'x' } });
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('unauthorized');
    expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(runCount()).toBe(before);
  });

  it('refuses a wrong token and a malformed Authorization header', async () => {
    const before = runCount();
    expect((await s.http('POST', submitPath(), { token: `${s.token}x`, body: { ExperimentName: 'x' } })).status).toBe(401);
    expect((await s.http('POST', submitPath(), { token: 'mr_' + 'A'.repeat(43), body: { ExperimentName: 'x' } })).status).toBe(401);
    expect((await s.http('POST', submitPath(), { token: null, headers: { authorization: `Basic ${s.token}` }, body: { ExperimentName: 'x' } })).status).toBe(401);
    expect((await s.http('GET', '/api/v1/runs', { token: null, headers: { authorization: 'Bearer' } })).status).toBe(401);
    expect(runCount()).toBe(before);
  });

  it('answers 401 (not 404) for unknown paths without a token', async () => {
    expect((await s.http('GET', '/api/v1/no-such-thing', { token: null })).status).toBe(401);
    expect((await s.http('GET', '/', { token: null })).status).toBe(401);
    expect((await s.http('GET', '/api/v1/no-such-thing')).status).toBe(404);
  });

  it('never takes a token from the query string', async () => {
    const before = runCount();
    for (const key of ['access_token', 'token', 'api_key']) {
      const r = await s.http('POST', `${submitPath()}?${key}=${s.token}`, { token: null, body: { ExperimentName: 'x' } });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      // Even with a valid header, a token in the URL is refused (it would sit in logs and histories).
      const both = await s.http('GET', `/api/v1/runs?access_token=${s.token}`);
      expect(both.status).toBe(400);
      expect(both.json.error.code).toBe('token_in_query');
    }
    expect(runCount()).toBe(before);
  });

  it('stops accepting a revoked token at once', async () => {
    const { token } = s.ws.store.tokens.create('short-lived');
    expect((await s.http('GET', '/api/v1/info', { token })).status).toBe(200);
    s.ws.store.tokens.revoke('short-lived');
    const r = await s.http('GET', '/api/v1/info', { token });
    expect(r.status).toBe(401);
    expect(r.json.error.message).toMatch(/revoked/);
  });

  it('keeps only a hash of each token and records its last use', async () => {
    const row = s.ws.store.rawConnection().prepare('SELECT hash FROM api_tokens WHERE name = ?').get('tester') as { hash: string };
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.hash).not.toContain(s.token);
    const dump = JSON.stringify(s.ws.store.rawConnection().prepare('SELECT * FROM api_tokens').all());
    expect(dump).not.toContain(s.token);
    expect(s.ws.store.tokens.list().find((t) => t.name === 'tester')!.lastUsedAt).not.toBeNull();
  });
});

describe('Host and Origin', () => {
  it('refuses a foreign Host header (DNS rebinding) before authentication', async () => {
    for (const host of [`evil.example:${s.server.port}`, `attacker.localhost.evil.com:${s.server.port}`, 'evil.example', `127.0.0.1:${s.server.port + 1}`]) {
      const r = await s.http('GET', '/api/v1/info', { headers: { host } });
      expect([403, 421]).toContain(r.status);
      expect(r.json.error.code).toBeTruthy();
    }
  });

  it('accepts the loopback names it is bound to', async () => {
    for (const host of [`127.0.0.1:${s.server.port}`, `localhost:${s.server.port}`, `LOCALHOST:${s.server.port}`]) {
      expect((await s.http('GET', '/api/v1/info', { headers: { host } })).status).toBe(200);
    }
  });

  it('refuses requests from a foreign site, a null origin and file://, and runs nothing', async () => {
    const before = runCount();
    for (const origin of ['https://evil.example', 'null', 'file://', `http://evil.example:${s.server.port}`, `http://localhost:${s.server.port + 1}`]) {
      const r = await s.http('POST', `/pipelines/v1.0/PipelineRuns/PipelineSubmit/${publishedId}`, { headers: { origin }, body: { ExperimentName: 'x' } });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('forbidden_origin');
    }
    const cross = await s.http('GET', '/api/v1/info', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(cross.status).toBe(403);
    expect(runCount()).toBe(before);
  });

  it('refuses an https:// origin naming its own host and port: a plain-HTTP server has no https origin', async () => {
    for (const origin of [`https://127.0.0.1:${s.server.port}`, `https://localhost:${s.server.port}`, `ws://127.0.0.1:${s.server.port}`]) {
      const r = await s.http('GET', '/api/v1/info', { headers: { origin } });
      expect(r.status, origin).toBe(403);
      expect(r.json.error.code).toBe('forbidden_origin');
    }
    expect((await s.http('GET', '/api/v1/info', { headers: { origin: `http://localhost:${s.server.port}` } })).status).toBe(200);
  });

  it('refuses a request with two Host headers, the same or different, before authentication', async () => {
    const own = `127.0.0.1:${s.server.port}`;
    for (const second of [own, 'evil.example']) {
      const r = await rawRequest(s.server.port, `GET /api/v1/info HTTP/1.1\r\nHost: ${own}\r\nHost: ${second}\r\nAuthorization: Bearer ${s.token}\r\nConnection: close\r\n\r\n`);
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: { code: 'bad_request', message: 'the request has 2 Host headers; send exactly one' } });
    }
  });

  it('accepts its own origin and sends no CORS headers', async () => {
    const r = await s.http('GET', '/api/v1/info', { headers: { origin: `http://127.0.0.1:${s.server.port}` } });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await s.http('OPTIONS', '/api/v1/runs', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('bodies', () => {
  const submitPath = () => `/pipelines/v1.0/PipelineRuns/PipelineSubmit/${publishedId}`;

  it('answers malformed JSON, wrong content types, arrays and huge bodies with 4xx and creates no run', async () => {
    const before = runCount();
    const bad = [
      await s.http('POST', submitPath(), { raw: '{"ExperimentName": ', headers: { 'content-type': 'application/json' } }),
      await s.http('POST', submitPath(), { raw: '', headers: { 'content-type': 'application/json' } }),
      await s.http('POST', submitPath(), { raw: 'ExperimentName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      await s.http('POST', submitPath(), { raw: '{"ExperimentName":"x"}', headers: { 'content-type': 'text/plain' } }),
      await s.http('POST', submitPath(), { body: [1, 2] }),
      await s.http('POST', submitPath(), { body: 'just a string' }),
      await s.http('POST', submitPath(), { body: { ExperimentName: 'x', Description: 'y'.repeat(2 * 1024 * 1024) } }),
    ];
    for (const r of bad) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.json.error.code).toEqual(expect.any(String));
      expect(r.json.error.message).toEqual(expect.any(String));
    }
    expect(bad[0].json.error.code).toBe('invalid_json');
    expect(bad[2].status).toBe(415);
    expect(bad[6].status).toBe(413);
    expect(runCount()).toBe(before);
  });

  it('refuses JSON declared in another charset than UTF-8 with 415, and accepts UTF-8 spelled either way', async () => {
    const before = runCount();
    for (const ct of ['application/json; charset=utf-16', 'application/json;charset="UTF-16LE"', 'application/json; charset=latin1']) {
      const r = await s.http('POST', submitPath(), { raw: '{"ExperimentName":"x"}', headers: { 'content-type': ct } });
      expect(r.status, ct).toBe(415);
      expect(r.json.error.code).toBe('unsupported_media_type');
      expect(r.json.error.message).toMatch(/^JSON bodies must be UTF-8; this one says charset=/);
    }
    expect(runCount()).toBe(before);
    for (const ct of ['application/json; charset=utf-8', 'application/json; charset=UTF8']) {
      const r = await s.http('POST', '/api/v1/tokens', { raw: JSON.stringify({ name: `cs-${ct.slice(-4).toLowerCase()}` }), headers: { 'content-type': ct } });
      expect(r.status, ct).toBe(200);
    }
  });

  it('answers requests the HTTP parser refuses in the same error shape: 431 headers too large, 400 malformed', async () => {
    const host = `Host: 127.0.0.1:${s.server.port}\r\n`;
    const big = await rawRequest(s.server.port, `GET /api/v1/info HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(big.json).toEqual({ error: { code: 'headers_too_large', message: "the request's headers are larger than this server accepts" } });
    for (const bad of [
      `POST /api/v1/runs HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      `POST /api/v1/runs HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}`,
      `GET /api/v1/info HTTP/1.1\r\n${host}X-A\x01: b\r\n\r\n`,
    ]) {
      const r = await rawRequest(s.server.port, bad);
      expect(r.status).toBe(400);
      expect(r.json).toEqual(wireShape);
      expect(r.json.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^malformed HTTP request/) });
    }
  });

  it('rejects prototype-poisoning bodies', async () => {
    const r = await s.http('POST', submitPath(), { raw: '{"ExperimentName":"x","__proto__":{"polluted":true}}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const c = await s.http('POST', submitPath(), { raw: '{"ExperimentName":"x","constructor":{"prototype":{"polluted":true}}}', headers: { 'content-type': 'application/json' } });
    expect(c.status).toBe(400);
  });
});

describe('path traversal', () => {
  const file = (p: string) => `/api/v1/runs/${runId}/outputs/only/out?path=${encodeURIComponent(p)}`;

  it('downloads a file of a step output', async () => {
    const r = await s.http('GET', file('out.txt'));
    expect(r.status).toBe(200);
    expect(r.text).toBe('hi\n');
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="out.txt"/);
  });

  it('answers 404 to every way out of the output folder', async () => {
    const run = s.ws.store.runs.get(runId);
    const folder = run.steps[0].outputs.out;
    mkdirSync(join(folder, 'sub'), { recursive: true });
    symlinkSync(join(s.tw.dir, 'millrace.yml'), join(folder, 'sub', 'link.yml'));
    symlinkSync(s.tw.dir, join(folder, 'wsdir'));
    writeFileSync(join(s.tw.dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
    for (const p of ['../../../../millrace.yml', '../out.txt/../../../secret.txt', `${s.tw.dir}/secret.txt`, '/etc/passwd', 'sub/link.yml', 'wsdir/secret.txt', 'sub', '..', 'nope.txt', 'out.txt\0.png']) {
      const r = await s.http('GET', file(p));
      expect(r.status, p).toBe(404);
      expect(r.text).not.toContain('TOP-SECRET');
      expect(r.text).not.toContain('datastores:');
    }
    for (const raw of [`/api/v1/runs/${runId}/outputs/only/..%2F..%2F..%2Fmillrace.yml?path=x`, `/api/v1/runs/${runId}/outputs/..%2F..%2F/out?path=out.txt`]) {
      expect((await s.http('GET', raw)).status).toBe(404);
    }
  });

  it('keeps pipeline file lookups inside pipelines/', async () => {
    for (const f of ['../millrace.yml', '../../etc/passwd.yml', '/etc/hosts.yml', 'scripts/../../millrace.yml']) {
      const r = await s.http('GET', `/api/v1/pipelines/file?file=${encodeURIComponent(f)}`);
      expect(r.status, f).toBe(404);
    }
    expect((await s.http('POST', '/api/v1/runs', { body: { file: '../millrace.yml' } })).status).toBe(404);
  });
});

describe('listening', () => {
  it('refuses a non-loopback address without allowRemote', async () => {
    await expect(startServer(s.ws, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/--allow-remote/);
  });

  it('listens on 0.0.0.0 with allowRemote and still pins the Host header', async () => {
    const srv = await startServer(s.ws, { host: '0.0.0.0', port: 0, allowRemote: true, foreignRunsPollMs: 0 });
    try {
      const { rawHttp } = await import('./helpers.js');
      const ok = await rawHttp(srv.port, 'GET', '/api/v1/info', { authorization: `Bearer ${s.token}` });
      expect(ok.status).toBe(200);
      const evil = await rawHttp(srv.port, 'GET', '/api/v1/info', { authorization: `Bearer ${s.token}`, host: `evil.example:${srv.port}` });
      expect([403, 421]).toContain(evil.status);
    } finally {
      await srv.close();
    }
  });
});
