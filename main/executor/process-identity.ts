// A process is identified by pid AND start time, so a recycled pid is never mistaken for ours.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const hasProc = process.platform === 'linux';

interface ProcStat {
  pgrp: number;
  start: string;
}

/** pgrp and start time of a live pid; undefined when it does not exist or is a zombie (Linux). */
export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); pgrp is field 5, starttime field 22.
    if (rest[0] === 'Z') return undefined; // a zombie is as good as gone
    return { pgrp: Number(rest[2]), start: rest[19] };
  } catch {
    return undefined;
  }
}

/** An opaque start-time token for a live pid, or undefined when no such process exists. */
export function processStartTime(pid: number): string | undefined {
  if (hasProc) return procStat(pid)?.start;
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

let selfStart: string | undefined;
export function selfIdentity(): { pid: number; start: string } {
  selfStart ??= processStartTime(process.pid) ?? `node-${Date.now() - Math.round(performance.now())}`;
  return { pid: process.pid, start: selfStart };
}

/** True when the process that had this pid and start time still runs. */
export function isSameProcessAlive(pid: number | null, start: string | null): boolean {
  if (!pid || !start) return false;
  const now = processStartTime(pid);
  return now !== undefined && now === start;
}

/** True while any process of the group exists (zombies do not count). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // kill() also succeeds while only zombies are left: orphans reparented to an init that reaps
  // late or never (common in containers) would stall every cancel until the give-up timeout.
  if (!hasProc) return true;
  return readdirSync('/proc').some((name) => /^\d+$/.test(name) && procStat(Number(name))?.pgrp === pgid);
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Kill what is left of a step's process group after its owner died. The group leader may be
 * gone; a group id cannot be handed to a new process while members remain, but to be safe on
 * Linux only members started no earlier than the step are signalled.
 */
export function killOrphanGroup(pgid: number, leaderStart: string | null, signal: NodeJS.Signals = 'SIGKILL'): number {
  return signalOrphanGroup(pgid, leaderStart, signal).length;
}

/** killOrphanGroup, returning the pids signalled. */
export function signalOrphanGroup(pgid: number, leaderStart: string | null, signal: NodeJS.Signals = 'SIGKILL'): number[] {
  if (!hasProc) {
    const start = processStartTime(pgid);
    if (start === undefined || start === leaderStart) signalGroup(pgid, signal);
    return [];
  }
  const leader = procStat(pgid);
  if (leader && leaderStart && leader.start !== leaderStart) return []; // pid recycled: not ours
  const minStart = leaderStart ? Number(leaderStart) : 0;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st && st.pgrp === pgid && Number(st.start) >= minStart) {
      try {
        process.kill(Number(name), signal);
        pids.push(Number(name));
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return pids;
}
