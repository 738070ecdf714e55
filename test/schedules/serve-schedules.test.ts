// A recurrence schedule in a real `millrace serve`: fires on its own clock, and kill -9 plus restart never repeats a fire time.
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../main/store/store.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { ok, sleep, startServe, type ServeProcess } from '../triggers/serve-helpers.js';
import { QUICK, TRIVIAL } from './helpers.js';
import { join } from 'node:path';

let tw: TempWorkspace | undefined;
let procs: ServeProcess[] = [];
afterEach(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
  procs = [];
  tw?.cleanup();
});

function fireTimes(dir: string): string[] {
  const store = Store.open(join(dir, 'millrace.db'));
  try {
    const s = store.schedules.get('every-second');
    return store.schedules.runs(s.id, 10_000, 0).rows.map((r) => JSON.parse(r.trigger_info!).fireTime as string).reverse();
  } finally {
    store.close();
  }
}

async function until(what: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

describe('recurrence schedules under millrace serve', () => {
  it('fires each second once; kill -9 and a restart neither repeat nor burst', async () => {
    tw = tempWorkspace(QUICK);
    tw.write('pipelines/trivial.yml', TRIVIAL);
    const dir = tw.dir;
    ok(['publish', 'pipelines/trivial.yml', '--name', 'trivial', '--endpoint', 'ep', '-w', dir]);
    ok(['schedule', 'create', '--name', 'every-second', '--pipeline', 'ep', '-e', 'Clock', '--cron', '* * * * * *', '--time-zone', 'UTC', '-w', dir]);
    const a = await startServe(dir);
    procs.push(a);
    await until(() => fireTimes(dir).length >= 3);
    await a.kill9();
    const before = fireTimes(dir).length;
    await sleep(3000);
    const b = await startServe(dir);
    procs.push(b);
    // The 3+ seconds missed while down fire at most once (the latest), then one per second again.
    await sleep(1500);
    const afterRestart = fireTimes(dir).length - before;
    expect(afterRestart).toBeLessThanOrEqual(3);
    await until(() => fireTimes(dir).length >= before + 3);
    ok(['schedule', 'disable', 'every-second', '-w', dir]);
    await sleep(2500); // picked up within the reload period
    const n = fireTimes(dir).length;
    await sleep(2000);
    expect(fireTimes(dir).length).toBe(n);
    await b.stop();
    const times = fireTimes(dir);
    expect(new Set(times).size).toBe(times.length);
    expect([...times].sort()).toEqual(times);
  });
});
