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
    return store.schedules.runs(s.id, 10_000, 0).rows.map((r) => (r.trigger.kind === 'schedule' && 'fireTime' in r.trigger ? r.trigger.fireTime : '')).reverse();
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

// The clock-driven cases (missed slots, catch-up, suspends, disable, restarts) run in-process on a
// fake clock in scheduler.test.ts; here a real serve fires on the real clock, and a kill -9 plus an
// immediate restart repeats no fire time. No fixed sleeps: each wait ends as soon as its condition holds.
describe('recurrence schedules under millrace serve', () => {
  it('fires each second once; kill -9 and a restart never repeat a fire time', async () => {
    tw = tempWorkspace(QUICK);
    tw.write('pipelines/trivial.yml', TRIVIAL);
    const dir = tw.dir;
    ok(['publish', 'pipelines/trivial.yml', '--name', 'trivial', '--endpoint', 'ep', '-w', dir]);
    ok(['schedule', 'create', '--name', 'every-second', '--pipeline', 'ep', '-e', 'Clock', '--cron', '* * * * * *', '--time-zone', 'UTC', '-w', dir]);
    const a = await startServe(dir);
    procs.push(a);
    await until(() => fireTimes(dir).length >= 2);
    await a.kill9();
    const before = fireTimes(dir).length;
    const b = await startServe(dir);
    procs.push(b);
    await until(() => fireTimes(dir).length >= before + 2);
    await b.stop();
    const times = fireTimes(dir);
    expect(new Set(times).size).toBe(times.length);
    expect([...times].sort()).toEqual(times);
  });
});
