// Finding a run's processes by the environment they carry. Every step process gets
// MILLRACE_RUN_ID=<step run id> and MILLRACE_PARENT_RUN_ID=<pipeline run id>, run ids are unique,
// and children inherit their parent's environment: so a scan of /proc/*/environ finds every
// process of a step or a run — those that left its process group (setsid, double forks) and
// those whose pid never reached the store — without any pid being recorded anywhere.
// Linux only (elsewhere nothing is found; the process-group path still applies). Only processes
// of our own user can be read, which are the only ones we could signal anyway.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { procStat } from './process-identity.js';

const hasProc = process.platform === 'linux';
const NUL = 0;
let buf = Buffer.alloc(1 << 16);

/** The `NAME=value` entry that marks every process of a step run or of a pipeline run. */
export const stepMarker = (stepRunId: string) => `MILLRACE_RUN_ID=${stepRunId}`;
export const runMarker = (pipelineRunId: string) => `MILLRACE_PARENT_RUN_ID=${pipelineRunId}`;

/** The whole initial environment block of a process (empty for zombies and kernel threads). */
function readEnviron(pid: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, 'r');
  } catch {
    return undefined; // gone, or another user's
  }
  try {
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        const bigger = Buffer.alloc(buf.length * 2);
        buf.copy(bigger);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) return buf.subarray(0, len);
      len += n;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** True when `env` holds exactly the entry `entry` (a whole NUL-separated entry, not a prefix). */
function hasEntry(env: Buffer, entry: Buffer): boolean {
  for (let at = env.indexOf(entry); at !== -1; at = env.indexOf(entry, at + 1)) {
    const end = at + entry.length;
    if ((at === 0 || env[at - 1] === NUL) && (end === env.length || env[end] === NUL)) return true;
  }
  return false;
}

export interface MarkedProcess {
  pid: number;
  /** Start time token (see process-identity.ts), to signal exactly this process later. */
  start: string;
  marker: string;
}

/** Live (non-zombie) processes carrying any of these `NAME=value` entries, this process excluded. */
export function findMarked(markers: readonly string[]): MarkedProcess[] {
  if (!hasProc || !markers.length) return [];
  const entries = markers.map((m) => ({ marker: m, bytes: Buffer.from(m) }));
  const self = String(process.pid);
  const found: MarkedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57 || name === self) continue;
    const env = readEnviron(name);
    if (!env?.length) continue;
    const hit = entries.find((e) => hasEntry(env, e.bytes));
    if (!hit) continue;
    const st = procStat(Number(name));
    if (st) found.push({ pid: Number(name), start: st.start, marker: hit.marker });
  }
  return found;
}

/** Sends `signal` to a marked process if it is still the same process; false when it is gone. */
export function signalMarked(p: MarkedProcess, signal: NodeJS.Signals): boolean {
  if (procStat(p.pid)?.start !== p.start) return false;
  try {
    process.kill(p.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGKILLs every process carrying one of the markers, scanning again until a scan finds nothing
 * new (a process forking while we kill its parent hands the marker to a child we have not seen).
 * Returns the pids killed; `skip` holds pids already dealt with (not counted again).
 */
export function killMarked(markers: readonly string[], skip: ReadonlySet<number> = new Set()): number[] {
  const killed = new Set<number>();
  for (let round = 0; round < 20; round++) {
    let fresh = 0;
    for (const p of findMarked(markers)) {
      if (killed.has(p.pid)) continue;
      signalMarked(p, 'SIGKILL');
      killed.add(p.pid);
      if (!skip.has(p.pid)) fresh++;
    }
    if (!fresh) break;
  }
  return [...killed].filter((pid) => !skip.has(pid));
}
