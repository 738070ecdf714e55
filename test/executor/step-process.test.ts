// One step process (main/executor/step-process.ts) with real processes, started through the spawn
// helper and through Node's own spawn (MILLRACE_SPAWNER=node): every descendant goes on cancel,
// timeout and at the step's end, even one that left the process group with setsid.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSameProcessAlive, processStartTime } from '../../main/executor/process-identity.js';
import type { StepProcessOptions } from '../../main/executor/step-process.js';
import { readPids, waitFor } from '../helpers/executor.js';

type StepProcessModule = typeof import('../../main/executor/step-process.js');
type ClientModule = typeof import('../../main/executor/spawner-client.js');

let dir: string;
let n = 0;
const leftovers: { pid: number; start: string | undefined }[] = [];
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'millrace-step-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  for (const p of leftovers.splice(0)) if (p.start && isSameProcessAlive(p.pid, p.start)) process.kill(p.pid, 'SIGKILL');
});

const options = (program: string, args: string[], more: Partial<StepProcessOptions> = {}): StepProcessOptions => ({
  program, args, cwd: dir, logFile: join(dir, `log-${++n}.txt`),
  env: { PATH: process.env.PATH, MILLRACE_RUN_ID: `step-test-${process.pid}-${n}` },
  timeoutMs: null, killGraceMs: 300, ...more,
});

/** The pids a step script wrote to `file`, each with its start time (also cleaned up after the test). */
async function pidsOf(file: string, count: number) {
  const pids = await waitFor(() => readPids(file, count), 'the step to write its pids');
  const ids = pids.map((pid) => ({ pid, start: processStartTime(pid) }));
  leftovers.push(...ids);
  expect(ids.every((p) => p.start !== undefined)).toBe(true);
  return ids;
}
const alive = (ids: { pid: number; start: string | undefined }[]) => ids.filter((p) => isSameProcessAlive(p.pid, p.start ?? null));

/**
 * A grandchild in its own session (out of the step's process group: it writes its pid only once
 * there), a plain background child, then the shell itself, which ends with `end`.
 */
const escaper = (end: string) =>
  `setsid sh -c 'echo $$ >> "$0"; exec sleep 300' "$0" & sleep 300 & echo $! >> "$0"; ` +
  `while [ $(wc -l < "$0") -lt 2 ]; do sleep 0.01; done; echo $$ >> "$0"; ${end}`;
const ESCAPER = escaper('wait');

describe.each([
  ['the spawn helper', undefined],
  ["Node's spawn", 'node'],
])('a step started through %s', (_label, spawner) => {
  let sp: StepProcessModule;
  let client: ClientModule;
  beforeAll(async () => {
    // A fresh spawner client per mode: the choice is read when its first request starts the helper.
    vi.resetModules();
    if (spawner) process.env.MILLRACE_SPAWNER = spawner;
    sp = await import('../../main/executor/step-process.js');
    client = await import('../../main/executor/spawner-client.js');
  });
  afterAll(() => {
    delete process.env.MILLRACE_SPAWNER;
  });

  it('cancel kills every descendant, including a setsid grandchild', async () => {
    const pids = join(dir, `pids-${++n}`);
    const proc = sp.startStepProcess(options('sh', ['-c', ESCAPER, pids]));
    const ids = await pidsOf(pids, 3);
    expect(alive(ids)).toHaveLength(3);
    expect(client.spawnHelperPid() === undefined).toBe(spawner === 'node');
    proc.terminate();
    const exit = await proc.done;
    expect(exit.signal).toBe('SIGTERM');
    expect(alive(ids)).toEqual([]);
  });

  it('a timeout kills every descendant, including a setsid grandchild', async () => {
    const pids = join(dir, `pids-${++n}`);
    const proc = sp.startStepProcess(options('sh', ['-c', ESCAPER, pids], { timeoutMs: 1500 }));
    const ids = await pidsOf(pids, 3);
    const exit = await proc.done;
    expect(exit.timedOut).toBe(true);
    expect(alive(ids)).toEqual([]);
  });

  it('a step that ends leaves nothing behind, in its group or out of it', async () => {
    const pids = join(dir, `pids-${++n}`);
    const proc = sp.startStepProcess(options('sh', ['-c', escaper('exit 4'), pids]));
    const exit = await proc.done;
    expect(exit).toMatchObject({ exitCode: 4, timedOut: false });
    const ids = (readPids(pids, 3) ?? []).map((pid) => ({ pid, start: processStartTime(pid) }));
    leftovers.push(...ids);
    expect(ids).toHaveLength(3);
    // Its group goes before `done`; what left the group, right then (helper: it saw the orphan)
    // or by a sweep shortly after (Node's spawn: nothing tells us, so one scan serves many ends).
    if (spawner) await waitFor(() => !alive(ids).length, 'the leftovers to be swept', 5000);
    expect(alive(ids)).toEqual([]);
  });

  it('fails a NUL byte or a lone surrogate in argv, env or cwd with a message naming it', async () => {
    const cases: [Partial<StepProcessOptions>, RegExp][] = [
      [{ args: ['ok', 'a\u0000b'] }, /^cannot start 'echo': argument 2 holds a NUL byte$/],
      [{ args: ['\ud800'] }, /^cannot start 'echo': argument 1 is not valid Unicode/],
      [{ env: { PATH: process.env.PATH, NAME: 'x\u0000' } }, /environment variable NAME holds a NUL byte/],
      [{ env: { PATH: process.env.PATH, 'BAD\ud800': '1' } }, /the name of environment variable 'BAD\\ud800' is not valid Unicode/],
      [{ cwd: `${dir}\u0000x` }, /the working directory holds a NUL byte/],
    ];
    for (const [more, message] of cases) {
      const proc = sp.startStepProcess(options('echo', [], more));
      expect(await proc.started).toBeUndefined();
      const exit = await proc.done;
      expect(exit.spawnError).toMatch(message);
      expect(exit.exitCode).toBeNull();
    }
  });

  it('honours a timeout beyond 2^31-1 ms instead of firing at once (fake clock)', async () => {
    const realSetTimeout = setTimeout;
    const kills = vi.spyOn(process, 'kill');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const timeoutMs = 2_600_000 * 1000; // `timeout: 2600000` (seconds)
      const proc = sp.startStepProcess(options('sleep', ['300'], { timeoutMs }));
      const st = (await proc.started)!;
      leftovers.push({ pid: st.pid, start: st.pidStart });
      const terms = () => kills.mock.calls.filter(([, sig]) => sig === 'SIGTERM');
      await vi.advanceTimersByTimeAsync(timeoutMs - 1);
      expect(terms()).toEqual([]);
      expect(isSameProcessAlive(st.pid, st.pidStart!)).toBe(true);
      await vi.advanceTimersByTimeAsync(1);
      expect(terms()).toContainEqual([-st.pid, 'SIGTERM']);
      // The group's end is polled on the (fake) clock: let real time pass between the ticks.
      let exit: Awaited<typeof proc.done> | undefined;
      void proc.done.then((e) => (exit = e));
      for (let i = 0; i < 500 && !exit; i++) {
        await vi.advanceTimersByTimeAsync(20);
        await new Promise((r) => realSetTimeout(r, 10));
      }
      expect(exit).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
    } finally {
      vi.useRealTimers();
      kills.mockRestore();
    }
  });
});
