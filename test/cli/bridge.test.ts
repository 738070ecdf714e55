// `millrace bridge --stdio` (docs/bridge.md "Protocol") as a real child process: JSON lines in, the
// answers in order on stdout and nothing else there, stdin's EOF ends it after answering what it read.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliAsync, cliPath, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tw: TempWorkspace;
beforeAll(() => {
  tw = tempWorkspace();
});
afterAll(() => tw.cleanup());

/** Writes every line, closes stdin at once, and returns what stdout held and the exit code. */
function bridge(dir: string, lines: string[], env: NodeJS.ProcessEnv = {}): { answers: any[]; stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [cliPath, 'bridge', '--stdio', '-w', dir], { input: lines.map((l) => `${l}\n`).join(''), encoding: 'utf8', env: { ...process.env, ...env } });
  const answers = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { answers, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const req = (id: number, name: string, args: unknown = {}) => JSON.stringify({ id, name, args });

describe('millrace bridge --stdio', () => {
  it('answers every request it read, in order, with {id, result} or {id, error}, then ends at EOF with 0', () => {
    const r = bridge(tw.dir, [
      req(1, 'server/info'),
      req(2, 'runs/get', { id: 'no-such-run' }),
      'not json',
      req(3, 'no/such-call'),
      req(4, 'runs/list', { limit: 'many' }),
      req(5, 'datastores/list'),
    ]);
    expect(r.status).toBe(0);
    // stdout holds protocol lines only: each one parsed.
    expect(r.stdout.trim().split('\n')).toHaveLength(6);
    expect(r.answers.map((a) => a.id)).toEqual([1, 2, null, 3, 4, 5]);
    expect(r.answers[0].result).toMatchObject({ name: 'millrace', workspace: tw.dir, served: false, url: 'http://127.0.0.1:8765' });
    expect(r.answers[1].error).toEqual({ code: 'not_found', message: "no run 'no-such-run'" });
    expect(r.answers[2].error.code).toBe('invalid_json');
    expect(r.answers[3].error).toEqual({ code: 'not_found', message: "no API call 'no/such-call'" });
    // Details travel apart from the message (the package joins them, one per line).
    expect(r.answers[4].error).toEqual({ code: 'invalid_input', message: 'runs/list: invalid arguments', details: ['limit: expected a whole number from 1 to 500'] });
    expect(r.answers[5].result).toEqual([{ name: 'default', path: join(tw.dir, 'datastores', 'default'), exists: true }]);
  });

  it('records the runs it submits unclaimed, with the trigger of MILLRACE_SDK_SCRIPT, and a runner drives them', async () => {
    const r = bridge(tw.dir, [req(1, 'runs/submit', { file: 'pipelines/sample.yml', experiment: 'from-bridge' })], { MILLRACE_SDK_SCRIPT: '/home/ana/train.py', MILLRACE_RUNNER_IDLE_MS: '1500' });
    const run = r.answers[0].result;
    expect(run.trigger).toMatchObject({ kind: 'sdk', script: '/home/ana/train.py' });
    const end = Date.now() + 60_000;
    let status = run.status;
    while (!['Completed', 'Failed', 'Canceled'].includes(status) && Date.now() < end) {
      await new Promise((res) => setTimeout(res, 250));
      status = JSON.parse(cli(['runs', 'show', run.id, '-w', tw.dir, '--json']).stdout).status;
    }
    expect(status).toBe('Completed');
  });

  it('answers a file result with its record; a folder without millrace.yml answers no_workspace; the default workspace is created', () => {
    const file = bridge(tw.dir, [req(1, 'models/register', { name: 'm', path: join(tw.dir, 'millrace.yml') }), req(2, 'models/file', { name: 'm', version: 1 })]);
    expect(file.answers[1].result).toEqual({ kind: 'file', path: join(tw.dir, 'models', 'm', '1', 'millrace.yml'), name: 'millrace.yml', size: expect.any(Number) });
    const empty = mkdtempSync(join(tmpdir(), 'not-a-ws-'));
    try {
      const r = bridge(empty, [req(1, 'server/info'), req(2, 'datastores/list')]);
      expect(r.answers.map((a) => a.error.code)).toEqual(['no_workspace', 'no_workspace']);
      expect(existsSync(join(empty, 'millrace.yml'))).toBe(false);
      const home = join(empty, 'home');
      mkdirSync(home);
      const made = bridge(join(home, 'Millrace'), [req(1, 'server/info')], { HOME: home });
      expect(made.answers[0].result.workspace).toBe(join(home, 'Millrace'));
      expect(existsSync(join(home, 'Millrace', 'millrace.yml'))).toBe(true);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("links to the serve that owns the workspace: its URL is recorded with the owner lock", async () => {
    const serve = cliAsync(['serve', '--port', '0', '--json', '-w', tw.dir]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        serve.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          try {
            resolve((JSON.parse(out) as { url: string }).url);
          } catch {
            /* more to come */
          }
        });
        serve.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
      });
      const r = bridge(tw.dir, [req(1, 'server/info'), req(2, 'published/list')]);
      expect(r.answers[0].result).toMatchObject({ url, served: true });
      expect(r.answers[1].result).toEqual([]);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((res) => serve.on('exit', res));
    }
    const after = bridge(tw.dir, [req(1, 'server/info')]);
    expect(after.answers[0].result).toMatchObject({ url: 'http://127.0.0.1:8765', served: false });
  });

  it('a script that stops writing and closes stdin mid-way gets nothing half-written', async () => {
    const child = spawn(process.execPath, [cliPath, 'bridge', '--stdio', '-w', tw.dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stdin.write(req(1, 'experiments/list'));
    child.stdin.end('\n' + req(2, 'compute/list').slice(0, 10));
    const code = await new Promise((res) => child.on('exit', res));
    expect(code).toBe(0);
    const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual([1, null]);
  });
});
