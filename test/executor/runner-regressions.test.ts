// The two reproductions of issue 9, through the CLI as a user meets them: a step ordered by
// run_after behind a reused step starts exactly once; a fully reused run exits cleanly.
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { submitRun } from '../../main/executor/submit.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/executor.js';
import { cli, cliAsync, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
afterEach(() => tmp?.cleanup());

const raPipeline = (log: string, allowReuse: boolean) => `name: ra
steps:
  a: { type: command, command: [sh, -c, "echo a"] }
  b:
    type: command
    command: [sh, -c, 'echo "b start $$" >> "$0"; sleep 0.5; echo "b end $$" >> "$0"', ${JSON.stringify(log)}]
    run_after: [a]
    allow_reuse: ${allowReuse}
`;

const run = (dir: string, json = false) => cli(['run', 'pipelines/ra.yml', '-w', dir, ...(json ? ['--json'] : [])]);

describe('issue 9 reproductions', () => {
  it('starts a run_after step behind a reused step exactly once', () => {
    tmp = tempWorkspace();
    const log = join(tmp.dir, 'b.log');
    tmp.write('pipelines/ra.yml', raPipeline(log, false));
    expect(run(tmp.dir).status).toBe(0);
    const second = run(tmp.dir);
    expect(second.status, second.stderr).toBe(0);
    // a reused, b executed once: one "Running" line, one process, one start and one end in its log.
    expect(second.stdout).toMatch(/a\s+Completed\s+\(reused from/);
    expect(second.stdout.match(/\bb\s+Running/g)).toHaveLength(1);
    expect(second.stdout).not.toMatch(/attempt 2/);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.startsWith('b start'))).toHaveLength(2); // one per run
    expect(lines.filter((l) => l.startsWith('b end'))).toHaveLength(2);
    const third = run(tmp.dir, true);
    expect(third.status, third.stderr).toBe(0);
    const b = JSON.parse(third.stdout).steps.find((s: { name: string }) => s.name === 'b');
    expect(b).toMatchObject({ status: 'Completed', reusedFrom: null });
    expect(b.durationMs).toBeGreaterThan(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('a fully reused run prints each step once and exits cleanly, nothing written after close', () => {
    tmp = tempWorkspace();
    tmp.write('pipelines/ra.yml', raPipeline(join(tmp.dir, 'b.log'), true));
    expect(run(tmp.dir).status).toBe(0);
    const second = run(tmp.dir);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout.match(/\bb\s+Completed\s+\(reused from/g)).toHaveLength(1);
    expect(second.stdout.match(/\ba\s+Completed\s+\(reused from/g)).toHaveLength(1);
    expect(second.stderr).not.toMatch(/Error|not open|internal/);
    const rec = JSON.parse(run(tmp.dir, true).stdout);
    expect(rec.steps.map((s: { status: string; reusedFrom: string | null }) => [s.status, !!s.reusedFrom])).toEqual([
      ['Completed', true],
      ['Completed', true],
    ]);
  });
});

describe('a second Ctrl-C (issue 10 item 10)', () => {
  it('leaves without waiting, and the run is recorded Canceled, not crashed', async () => {
    tmp = tempWorkspace();
    tmp.write('pipelines/slow.yml', `name: slow
steps:
  slow: { type: command, command: [sh, -c, 'trap "" TERM; echo started; sleep 30'] }
`);
    const child = cliAsync(['run', 'pipelines/slow.yml', '-w', tmp.dir]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await waitFor(() => /slow\s+Running/.test(out), 'the step to run');
    child.kill('SIGINT');
    // Two signals sent before the process handles the first are one (signals do not queue):
    // the second is sent once the first has been taken.
    await waitFor(() => err.includes('Canceling the run'), 'the first Ctrl-C to be taken');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const list = cli(['runs', 'list', '-w', tmp.dir, '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ status: 'Canceled' });
  });
});

describe('cancel during hashing (issue 10 item 8)', () => {
  it('stops hashing a large input at once: the hash is never finished nor cached', async () => {
    tmp = tempWorkspace();
    const big = join(tmp.dir, 'datastores', 'default', 'big.bin');
    truncateSync((writeFileSync(big, ''), big), 8 * 1024 ** 3); // sparse: 8 GiB of zeros to read
    tmp.write('pipelines/big.yml', `name: big
steps:
  use: { type: command, command: [cat, "\${{inputs.big}}"], inputs: { big: { datastore: default, path: big.bin } } }
`);
    const ws = tmp.open();
    try {
      const { runId, runner } = submitRun(ws, join(tmp.dir, 'pipelines', 'big.yml'), { trigger: { kind: 'cli' } });
      const done = runner.run();
      await waitFor(() => ws.store.runs.stepStates(runId)[0]?.status === 'Preparing' || undefined, 'hashing to start', 20_000, 5);
      runner.cancel();
      expect(await done).toBe('Canceled');
      expect(ws.store.fileHashes.lookup(big, { size: 8 * 1024 ** 3, mtimeNs: '0', ino: '0' })).toBeUndefined();
      const row = ws.store.rawConnection().prepare('SELECT COUNT(*) AS n FROM file_hashes WHERE path = ?').get(big) as { n: number };
      expect(row.n).toBe(0);
      expect(ws.store.runs.get(runId).steps[0]).toMatchObject({ status: 'Canceled', error: 'canceled' });
    } finally {
      ws.close();
    }
  });
});
