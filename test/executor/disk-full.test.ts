// Issue 10 item 6: a step fills the disk. The run ends Failed "disk full: <workspace>" once a write
// succeeds again, read-only commands work meanwhile, the store stays intact. A small tmpfs (root only).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, cliAsync } from '../helpers/workspace.js';
import { waitFor } from '../helpers/executor.js';

const root = process.getuid?.() === 0;
let mnt: string | undefined;
afterEach(() => {
  if (mnt) {
    spawnSync('umount', ['-l', mnt]);
    rmSync(mnt, { recursive: true, force: true });
  }
  mnt = undefined;
});

describe.skipIf(!root)('disk full (a 24 MB tmpfs; needs root to mount)', () => {
  it('fails the run with one line, keeps read-only commands working, and records the end once space is back', async () => {
    mnt = mkdtempSync(join(tmpdir(), 'millrace-full-'));
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]);
    if (m.status !== 0) return void console.warn(`skipped: cannot mount a tmpfs: ${m.stderr}`);
    const ws = join(mnt, 'ws');
    expect(cli(['init', ws]).status).toBe(0);
    writeFileSync(join(ws, 'pipelines', 'fill.yml'), `name: fill
steps:
  fill:
    type: command
    command: [sh, -c, 'dd if=/dev/zero of="$0/big" bs=1M 2>/dev/null; sleep 0.5; echo done', "\${{outputs.o}}"]
    outputs: { o: {} }
  after: { type: command, command: [sh, -c, 'echo after'], run_after: [fill] }
`);
    const child = cliAsync(['run', 'pipelines/fill.yml', '-w', ws]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await waitFor(() => err.includes('disk full'), 'the disk-full message', 30_000);
    expect(err).not.toMatch(/SQLITE_FULL|at .*\.js:\d+|internal error/);
    // While the disk is full, reading works.
    const list = cli(['runs', 'list', '-w', ws, '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    // Free the space: the run's end is recorded.
    const azureml = join(ws, 'datastores', 'default', 'azureml');
    for (const d of readdirSync(azureml)) rmSync(join(azureml, d, 'o', 'big'), { force: true });
    expect(await exited).toBe(1);
    const rec = JSON.parse(cli(['runs', 'list', '-w', ws, '--json']).stdout)[0];
    expect(rec).toMatchObject({ status: 'Failed', error: `disk full: ${ws}` });
    const show = JSON.parse(cli(['runs', 'show', rec.id, '-w', ws, '--json']).stdout);
    for (const s of show.steps) expect(['Failed', 'Canceled']).toContain(s.status);
    expect(show.steps.find((s: { name: string }) => s.name === 'fill')).toMatchObject({ status: 'Failed', error: `disk full: ${ws}` });
    const db = new Database(join(ws, 'millrace.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(out + err).toContain('disk full');
  });
});

describe.skipIf(!root)('disk full while the run\'s owner dies', () => {
  it('opens the workspace read-only when recovery cannot write, and recovers once there is space', async () => {
    mnt = mkdtempSync(join(tmpdir(), 'millrace-full-'));
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]);
    if (m.status !== 0) return void console.warn(`skipped: cannot mount a tmpfs: ${m.stderr}`);
    const ws = join(mnt, 'ws');
    expect(cli(['init', ws]).status).toBe(0);
    writeFileSync(join(ws, 'pipelines', 'fill.yml'), `name: fill
steps:
  fill: { type: command, command: [sh, -c, 'dd if=/dev/zero of="$0/big" bs=1M 2>/dev/null; sleep 30', "\${{outputs.o}}"], outputs: { o: {} } }
`);
    const child = cliAsync(['run', 'pipelines/fill.yml', '-w', ws]);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('exit', r));
    // The step filled the disk (its dd ended); the owner dies before it can record anything.
    await waitFor(() => spawnSync('sh', ['-c', `df --output=avail ${mnt} | tail -1`]).stdout.toString().trim() === '0', 'a full disk', 30_000);
    child.kill('SIGKILL');
    await exited;
    const list = cli(['runs', 'list', '-w', ws, '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toContain(`disk full: ${ws}`);
    expect(JSON.parse(list.stdout)[0].status).toBe('Running');
    const azureml = join(ws, 'datastores', 'default', 'azureml');
    if (existsSync(azureml)) for (const d of readdirSync(azureml)) rmSync(join(azureml, d, 'o', 'big'), { force: true });
    const after = cli(['runs', 'list', '-w', ws, '--json']);
    expect(after.status, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)[0].status).toBe('Failed');
    expect(err).not.toMatch(/SQLITE_FULL/);
  });
});
