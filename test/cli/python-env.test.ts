// `millrace python`, `millrace env` and `millrace model list|show` (AZUREML.md sections 10.1 and
// 10.4h) as real processes: the variables that activate the azureml package, python's own
// arguments left alone, the exit code passed through, SIGTERM forwarded.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliPath, repoRoot, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tw: TempWorkspace;
const runtime = join(repoRoot, 'main', 'runtime', 'python');
const debianJupyter = spawnSync('/usr/bin/python3', ['-c', 'import jupyter_core']).status === 0;

beforeAll(() => {
  tw = tempWorkspace('environments:\n  default: { python: python3 }\n  system: { python: /usr/bin/python3, env: { FROM_ENV: "yes" } }\n');
});
afterAll(() => tw.cleanup());

describe('millrace env', () => {
  it('prints export lines that activate the package in any shell', () => {
    const r = spawnSync('sh', ['-c', `eval "$('${process.execPath}' '${cliPath}' env -w '${tw.dir}')" && python3 -c 'import azureml, os; print(azureml.__millrace__, os.environ["MILLRACE_WORKSPACE"])'`], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`True ${tw.dir}`);
  });

  it('--json prints the three variables; PYTHONPATH keeps what was set, after the package', () => {
    const r = cli(['env', '-w', tw.dir, '--json'], { env: { PYTHONPATH: '/opt/mine' } });
    expect(JSON.parse(r.stdout)).toEqual({ PYTHONPATH: `${runtime}:/opt/mine`, MILLRACE_WORKSPACE: tw.dir, MILLRACE_CLI: JSON.stringify([process.execPath, cliPath]) });
  });
});

describe('millrace python', () => {
  it("runs the environment's python with the variables set; -m, -w and -c after the first argument are python's", () => {
    const r = cli(['python', '-w', tw.dir, '-c', 'import os, sys; print(sys.argv[1:], os.environ["MILLRACE_WORKSPACE"], os.environ["PYTHONPATH"].split(":")[0], os.environ["MILLRACE_CLI"])', '-m', '-w', 'x']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`['-m', '-w', 'x'] ${tw.dir} ${runtime} ${JSON.stringify([process.execPath, cliPath])}`);
    const sys = cli(['-w', tw.dir, 'python', '-e', 'system', '-c', 'import os, sys; print(sys.executable, os.environ["FROM_ENV"])']);
    expect(sys.stdout.trim()).toBe('/usr/bin/python3 yes');
  });

  it('passes the exit code through; an unknown environment is bad usage (exit 2)', () => {
    expect(cli(['python', '-w', tw.dir, '-c', 'import sys; sys.exit(7)']).status).toBe(7);
    const bad = cli(['python', '-w', tw.dir, '-e', 'nope', '-c', 'pass']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no environment 'nope'.*it has: default, system/);
  });

  it('forwards SIGTERM to python and ends with its exit code', async () => {
    const child = spawn(process.execPath, [cliPath, 'python', '-w', tw.dir, '-c',
      'import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: (print("got TERM", flush=True), sys.exit(5)))\nprint("ready", flush=True)\ntime.sleep(60)'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => ((out += b.toString()), out.includes('ready') && resolve())));
    child.kill('SIGTERM');
    const code = await new Promise((res) => child.on('exit', res));
    expect(out).toContain('got TERM');
    expect(code).toBe(5);
  });

  it.skipIf(!debianJupyter)('python -m jupyter reaches Jupyter with the variables its kernels inherit (needs jupyter_core)', () => {
    const r = cli(['python', '-w', tw.dir, '-e', 'system', '-m', 'jupyter', '--paths', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('data');
  });
});

describe('millrace model', () => {
  it('list and show print the registry records', () => {
    const ws = tw.open();
    try {
      ws.store.models.insert({ name: 'm', tags: { a: 'b' }, properties: {}, description: null, runId: null, experiment: null, framework: null, frameworkVersion: null, datasets: [] }, () => 'models/m/1/weights.bin');
      ws.store.models.insert({ name: 'm', tags: {}, properties: { AUC: '0.9' }, description: 'v2', runId: null, experiment: null, framework: null, frameworkVersion: null, datasets: [] }, () => 'models/m/2/weights.bin');
    } finally {
      ws.close();
    }
    const list = JSON.parse(cli(['model', 'list', '-w', tw.dir, '--json']).stdout);
    expect(list.map((m: { id: string }) => m.id)).toEqual(['m:2', 'm:1']);
    for (const k of ['name', 'version', 'id', 'path', 'tags', 'properties', 'description', 'runId', 'experiment', 'createdAt']) expect(list[0]).toHaveProperty(k);
    expect(JSON.parse(cli(['model', 'show', 'm:1', '-w', tw.dir, '--json']).stdout)).toMatchObject({ id: 'm:1', tags: { a: 'b' }, path: join(tw.dir, 'models', 'm', '1', 'weights.bin') });
    expect(JSON.parse(cli(['model', 'show', 'm', '-w', tw.dir, '--json']).stdout)).toMatchObject({ version: 2, description: 'v2' });
    expect(JSON.parse(cli(['model', 'list', '--name', 'other', '-w', tw.dir, '--json']).stdout)).toEqual([]);
    expect(cli(['model', 'show', 'm:x', '-w', tw.dir]).status).toBe(2);
    expect(cli(['model', 'show', 'nope', '-w', tw.dir]).status).toBe(2);
  });
});
