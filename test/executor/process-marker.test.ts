// Finding processes by the environment entry they carry (main/executor/process-marker.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { findMarked, killMarked, runMarker, stepMarker } from '../../main/executor/process-marker.js';
import { pidAlive, waitFor } from '../helpers/executor.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

const id = () => `marker-test-${process.pid}-${Math.random().toString(36).slice(2)}`;

function start(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const c = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH, ...env } });
  children.push(c);
  return c;
}

describe('process markers', () => {
  it('finds the processes carrying exactly the entry, inside or outside their group, and nothing else', async () => {
    const run = id();
    const c = start('setsid sleep 300 & sleep 300 & wait', { MILLRACE_RUN_ID: run, MILLRACE_PARENT_RUN_ID: 'p' });
    const longer = start('sleep 300', { MILLRACE_RUN_ID: `${run}x` }); // a prefix must not match
    const found = await waitFor(() => {
      const f = findMarked([stepMarker(run)]);
      return f.length === 3 ? f : undefined;
    }, 'the shell and its two sleeps');
    expect(found.map((p) => p.pid)).toContain(c.pid);
    expect(found.map((p) => p.pid)).not.toContain(longer.pid);
    expect(found.every((p) => p.marker === stepMarker(run))).toBe(true);
    expect(findMarked([runMarker('p')]).filter((p) => found.some((f) => f.pid === p.pid))).toHaveLength(3);
    expect(findMarked([stepMarker(id())])).toEqual([]);
  });

  it('kills a whole marked tree, new forks included, and counts each process once', async () => {
    const run = id();
    // A process that keeps forking short-lived children, one in a new session.
    start('setsid sleep 300 & while :; do sleep 300 & sleep 0.01; done', { MILLRACE_PARENT_RUN_ID: run });
    await waitFor(() => findMarked([runMarker(run)]).length >= 4, 'the forks');
    const killed = killMarked([runMarker(run)]);
    expect(killed.length).toBeGreaterThanOrEqual(4);
    expect(new Set(killed).size).toBe(killed.length);
    await waitFor(() => killed.every((pid) => !pidAlive(pid)), 'the killed processes to die', 5000);
    expect(findMarked([runMarker(run)])).toEqual([]);
  });
});
