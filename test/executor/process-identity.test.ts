// Process identity and process groups (main/executor/process-identity.ts), on real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive, isSameProcessAlive, killOrphanGroup, processStartTime, selfIdentity } from '../../main/executor/process-identity.js';
import { pidAlive, waitFor } from '../helpers/executor.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      c.kill('SIGKILL');
    }
  }
});

function start(cmd: string, args: string[], detached = true): ChildProcess {
  const c = spawn(cmd, args, { detached, stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(c);
  return c;
}

const state = (pid: number) => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2)[0];
  } catch {
    return undefined;
  }
};

describe('process identity', () => {
  it('identifies a process by pid and start time', async () => {
    const me = selfIdentity();
    expect(me.pid).toBe(process.pid);
    expect(isSameProcessAlive(me.pid, me.start)).toBe(true);
    expect(isSameProcessAlive(me.pid, `${me.start}0`)).toBe(false); // same pid, another process
    const c = start('sleep', ['30']);
    const st = processStartTime(c.pid!);
    expect(st).toBeDefined();
    expect(isSameProcessAlive(c.pid!, st!)).toBe(true);
    c.kill('SIGKILL');
    await new Promise((r) => c.once('exit', r));
    expect(isSameProcessAlive(c.pid!, st!)).toBe(false);
    expect(isSameProcessAlive(null, null)).toBe(false);
  });

  it('sees a group as alive while a member runs, and gone once only zombies are left', async () => {
    // A parent outside the group forks a child into a new group and never reaps it.
    const parent = start(
      'python3',
      ['-c', 'import os, sys, time\npid = os.fork()\nif pid == 0:\n    os.setpgid(0, 0)\n    time.sleep(0.3)\n    os._exit(0)\nprint(pid, flush=True)\ntime.sleep(60)'],
      false,
    );
    let out = '';
    parent.stdout!.on('data', (d) => (out += d));
    const pgid = Number(await waitFor(() => /^(\d+)\n/.exec(out)?.[1], 'the child pid'));
    await waitFor(() => processStartTime(pgid) !== undefined || state(pgid) === 'Z', 'the child to exist');
    if (state(pgid) !== 'Z') expect(groupAlive(pgid)).toBe(true);
    await waitFor(() => state(pgid) === 'Z', 'the child to be a zombie');
    expect(() => process.kill(-pgid, 0)).not.toThrow(); // the kernel still counts the zombie
    expect(groupAlive(pgid)).toBe(false);
    parent.kill('SIGKILL');
  });

  it('kills every live member of an orphaned group, and nothing when the leader pid was recycled', async () => {
    const c = start('sh', ['-c', 'sleep 60 & echo $!; sleep 60 & echo $!; wait']);
    let out = '';
    c.stdout!.on('data', (d) => (out += d));
    const kids = (await waitFor(() => (out.split('\n').filter(Boolean).length >= 2 ? out : undefined), 'the sleeps')).split('\n').filter(Boolean).map(Number);
    const leaderStart = processStartTime(c.pid!)!;
    expect(killOrphanGroup(c.pid!, `${leaderStart}999`)).toBe(0); // not our process: left alone
    expect([c.pid!, ...kids].every(pidAlive)).toBe(true);
    expect(killOrphanGroup(c.pid!, leaderStart)).toBe(3);
    await waitFor(() => ![c.pid!, ...kids].some(pidAlive), 'the group to die', 10_000);
  });
});
