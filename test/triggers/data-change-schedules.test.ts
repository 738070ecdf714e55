// Data-change schedules in a real `millrace serve`: real file events in temp dirs, restarts, kill -9, the owner lock.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../main/store/store.js';
import { cli, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { QUICK, TRIVIAL } from '../schedules/helpers.js';
import { expectRuns, ok, runsOf, sleep, startServe, writeData, type ServeProcess } from './serve-helpers.js';
import { join } from 'node:path';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function workspace(): TempWorkspace {
  const tw = tempWorkspace(QUICK);
  tw.write('pipelines/trivial.yml', TRIVIAL);
  ok(['publish', 'pipelines/trivial.yml', '--name', 'trivial', '--endpoint', 'trivial-ep', '-w', tw.dir]);
  cleanup.push(() => tw.cleanup());
  return tw;
}

async function serve(dir: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []): Promise<ServeProcess> {
  const s = await startServe(dir, env, extra);
  cleanup.push(() => (s.child.exitCode === null && s.child.signalCode === null ? s.stop() : undefined));
  return s;
}

const create = (dir: string, name: string, ...flags: string[]) =>
  ok(['schedule', 'create', '--name', name, '--pipeline', 'trivial-ep', '-e', 'Reactive', '--datastore', 'default', '--path', 'data/training', ...flags, '-w', dir]);

describe('data-change schedules under millrace serve', () => {
  it('perFile: one run per added or changed file, found at start, never re-triggered by restarts', async () => {
    const { dir } = workspace();
    writeData(dir, 'data/training/a.csv', '1,2\n');
    create(dir, 'reactive', '--glob', '*.csv', '--data-path-parameter', 'raw_path');
    let s = await serve(dir);
    let runs = await expectRuns(dir, 'reactive', 1);
    expect(runs[0]).toMatchObject({ path: 'data/training/a.csv', param: 'data/training/a.csv' });

    writeData(dir, 'data/training/b.csv', 'b\n');
    writeData(dir, 'data/training/sub/c.csv', 'c\n');
    writeData(dir, 'data/training/notes.txt', 'not a csv\n');
    writeData(dir, 'data/training/a.csv', '1,2\n'); // same bytes: not a change
    runs = await expectRuns(dir, 'reactive', 3);
    expect(runs.map((r) => r.path).sort()).toEqual(['data/training/a.csv', 'data/training/b.csv', 'data/training/sub/c.csv']);
    writeData(dir, 'data/training/a.csv', '1,2\n3,4\n');
    await expectRuns(dir, 'reactive', 4);
    await s.stop();

    // Changes while nothing serves fire once on the next start.
    writeData(dir, 'data/training/d.csv', 'd\n');
    writeData(dir, 'data/training/b.csv', 'b2\n');
    s = await serve(dir);
    runs = await expectRuns(dir, 'reactive', 6);
    expect(runs.slice(4).map((r) => r.path).sort()).toEqual(['data/training/b.csv', 'data/training/d.csv']);
    await s.stop();
    s = await serve(dir);
    await expectRuns(dir, 'reactive', 6, 2500);
    await s.stop();
  });

  it('kill -9 between the event and the run: nothing recorded, the restart picks the file up exactly once', async () => {
    const { dir } = workspace();
    create(dir, 'reactive');
    // The test hook kills the owner inside the transaction, after the run is written and before the commit.
    const s = await serve(dir, { MILLRACE_TEST_CRASH_BEFORE_COMMIT: '1' });
    writeData(dir, 'data/training/e.csv', 'e\n');
    const exit = await Promise.race([s.exited, sleep(15_000).then(() => null)]);
    expect(exit?.signal).toBe('SIGKILL');
    expect(runsOf(dir, 'reactive')).toHaveLength(0);
    const store = Store.open(join(dir, 'millrace.db'));
    expect(store.rawConnection().prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 });
    expect(store.rawConnection().prepare('SELECT COUNT(*) AS n FROM data_change_handled').get()).toEqual({ n: 0 });
    store.close();

    // The lock of the killed owner is taken over.
    const s2 = await serve(dir);
    const runs = await expectRuns(dir, 'reactive', 1);
    expect(runs[0]).toMatchObject({ path: 'data/training/e.csv', param: 'data/training/e.csv' });
    // kill -9 after the run was created: the restart does not start it again.
    await s2.kill9();
    const s3 = await serve(dir);
    await expectRuns(dir, 'reactive', 1, 2500);
    await s3.stop();
  });

  it('batch: one run per burst, the folder in the path parameter', async () => {
    const { dir } = workspace();
    create(dir, 'batchy', '--mode', 'batch');
    const s = await serve(dir);
    await sleep(2500); // the scheduler reads the table; the watcher is up
    for (let i = 0; i < 5; i++) writeData(dir, `data/training/f${i}.csv`, `${i}\n`);
    const runs = await expectRuns(dir, 'batchy', 1, 2000);
    expect(runs[0]).toMatchObject({ path: 'data/training', files: 5, param: 'data/training' });
    await s.stop();
  });

  it('a second serve on the same workspace says so and exits 2; --no-schedules may run beside it', async () => {
    const { dir } = workspace();
    const s = await serve(dir);
    const r = cli(['serve', '--port', '0', '-w', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already served by millrace serve \(pid \d+/);
    const other = await serve(dir, {}, ['--no-schedules']);
    await other.stop();
    await s.stop();
    // Released on shutdown: the next serve starts.
    const again = await serve(dir);
    await again.stop();
    expect(existsSync(join(dir, 'millrace.db'))).toBe(true);
  });
});
