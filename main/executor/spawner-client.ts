// Client of spawner.py, the helper that starts step processes with vfork (see that file for why).
// The helper starts in the background on first use; requests made meanwhile wait for its
// "ready" line. Where it cannot run (no python3, Windows, MILLRACE_SPAWNER=node) every request
// falls back to Node's own spawn, so the helper is an optimisation, never a dependency.
//
// If the helper dies while steps run (killed, out of memory), the steps do not: they were
// started in their own sessions and are reparented. They are not reported dead either — each is
// adopted, followed by pid + start time until it ends (its exit status is then unknown, and
// says so), and the next request starts a new helper.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot, unpackedPath } from '../package-root.js';
import { isSameProcessAlive, processStartTime } from './process-identity.js';
import { killMarked } from './process-marker.js';

export interface SpawnRequest {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: string;
  header?: string;
  /** A `NAME=value` entry of `env` that only this process (and its descendants) carries. */
  marker?: string;
}

export interface ExitInfo {
  /** The helper saw processes it had not started among its children: the step may have left some behind. */
  orphans?: boolean;
  /** Set when the exit status could not be seen (the helper died while the process ran): why. */
  lost?: string;
}

export interface SpawnHandlers {
  onStart(pid: number | undefined, error?: { code: string; message: string }, pidStart?: string): void;
  onExit(code: number | null, signal: NodeJS.Signals | null, info?: ExitInfo): void;
}

interface Queued {
  req: SpawnRequest;
  handlers: SpawnHandlers;
  fallback: () => void;
}

interface InFlight extends Queued {
  pid?: number;
  pidStart?: string;
}

interface Helper {
  proc: ChildProcess;
  ready: boolean;
  queue: Queued[];
  inFlight: Map<number, InFlight>;
  nextId: number;
}

type HelperMessage = {
  ready?: boolean;
  id?: number;
  pid?: number;
  /** The pid's start time as the helper read it (null: already gone); absent where it cannot read it. */
  start?: string | null;
  error?: string;
  message?: string;
  exit?: number | null;
  signal?: NodeJS.Signals | null;
  orphans?: number | null;
};

/** undefined: start one on the next request; null: unavailable, Node spawns. */
let helper: Helper | null | undefined;
/** Helpers that died after they were ready; past a few, something is wrong with this machine. */
let deaths = 0;
const MAX_DEATHS = 5;
export const LOST_EXIT = 'the spawn helper ended while the step ran: it was followed until it ended, but its exit status is unknown';

type Refable = { ref?: () => void; unref?: () => void };
function setRef(h: Helper, on: boolean): void {
  for (const x of [h.proc, h.proc.stdout, h.proc.stdin] as unknown as Refable[]) (on ? x?.ref : x?.unref)?.call(x);
}

/**
 * The helper needs only Python's standard library, so it runs isolated (-I: no user site, no
 * PYTHON* variables that could shadow a module) and without site (-S). On Linux the system's
 * interpreter is preferred: a `python3` on PATH may be a version manager's shim (pyenv's costs
 * 0.2-0.4 s of shell scripts here, against 0.04-0.07 s for /usr/bin/python3 -S) and every run
 * waits for the helper before its first step starts.
 */
function interpreter(): string {
  if (process.env.MILLRACE_SPAWNER_PYTHON) return process.env.MILLRACE_SPAWNER_PYTHON;
  return process.platform === 'linux' && existsSync(SYSTEM_PYTHON) ? SYSTEM_PYTHON : 'python3';
}
const SYSTEM_PYTHON = '/usr/bin/python3';

function start(): Helper | null {
  if (process.env.MILLRACE_SPAWNER === 'node' || process.platform === 'win32') return null;
  let proc: ChildProcess;
  try {
    proc = spawn(interpreter(), ['-I', '-S', '-u', unpackedPath(join(packageRoot(), 'main', 'executor', 'spawner.py'))], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
  } catch {
    return null;
  }
  const h: Helper = { proc, ready: false, queue: [], inFlight: new Map(), nextId: 1 };
  let gone = false;
  const died = () => {
    if (gone) return;
    gone = true;
    if (helper === h) helper = h.ready && ++deaths < MAX_DEATHS ? undefined : null;
    for (const q of h.queue.splice(0)) q.fallback();
    const inFlight = [...h.inFlight.values()];
    h.inFlight.clear();
    // Asked for but not answered: the process may exist (the helper died inside the start), so
    // whatever carries its marker is killed before it is started again by Node.
    const unanswered = inFlight.filter((q) => q.pid === undefined);
    const markers = unanswered.flatMap((q) => (q.req.marker ? [q.req.marker] : []));
    if (markers.length) killMarked(markers);
    for (const q of unanswered) {
      if (q.req.marker) q.fallback();
      else q.handlers.onStart(undefined, { code: 'EOTHER', message: 'the spawn helper ended while starting it' });
    }
    for (const q of inFlight) if (q.pid !== undefined) adopt(q);
  };
  proc.on('error', died);
  // The pipe's end comes after every line the helper wrote: answers it sent before dying count.
  const lines = createInterface({ input: proc.stdout! });
  lines.on('close', died);
  proc.on('exit', () => setTimeout(died, 1000).unref()); // in case a descendant still holds the pipe
  proc.stdin!.on('error', () => {});
  lines.on('line', (line) => {
    let m: HelperMessage;
    try {
      m = JSON.parse(line) as HelperMessage;
    } catch {
      return;
    }
    if (m.ready) {
      h.ready = true;
      for (const q of h.queue.splice(0)) send(h, q);
      return;
    }
    const q = m.id === undefined ? undefined : h.inFlight.get(m.id);
    if (!q) return;
    if (m.error) {
      h.inFlight.delete(m.id!);
      q.handlers.onStart(undefined, { code: m.error, message: m.message ?? m.error });
    } else if (m.pid !== undefined) {
      q.pid = m.pid;
      q.pidStart = m.start === undefined ? processStartTime(m.pid) : (m.start ?? undefined);
      q.handlers.onStart(m.pid, undefined, q.pidStart);
      return;
    } else {
      h.inFlight.delete(m.id!);
      q.handlers.onExit(m.exit ?? null, m.signal ?? null, { orphans: m.orphans !== 0 });
    }
    // While steps run, the helper's pipe keeps the event loop alive; when none run, it may end.
    if (!h.inFlight.size && !h.queue.length) setRef(h, false);
  });
  setRef(h, false);
  return h;
}

function send(h: Helper, q: Queued): void {
  const id = h.nextId++;
  h.inFlight.set(id, { ...q });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(q.req.env)) if (v !== undefined) env[k] = v;
  h.proc.stdin!.write(`${JSON.stringify({ id, argv: q.req.argv, cwd: q.req.cwd, env, log: q.req.log, header: q.req.header ?? '' })}\n`);
}

/** Processes whose helper died, followed by pid + start time until they end. */
const adopted = new Set<InFlight>();
let poller: NodeJS.Timeout | undefined;
const POLL_MS = 200;

function adopt(q: InFlight): void {
  adopted.add(q);
  // A ref'd timer: like the helper's pipe before, it keeps the process alive while steps run.
  poller ??= setInterval(() => {
    for (const a of adopted) {
      if (a.pidStart && isSameProcessAlive(a.pid!, a.pidStart)) continue;
      adopted.delete(a);
      a.handlers.onExit(null, null, { lost: LOST_EXIT, orphans: true });
    }
    if (!adopted.size) {
      clearInterval(poller);
      poller = undefined;
    }
  }, POLL_MS);
}

/**
 * Start a process through the helper. Returns false when the helper is known to be unavailable
 * (the caller spawns itself); `fallback` is called instead of the handlers if the helper turns
 * out unusable before this request was answered.
 */
export function spawnWithHelper(req: SpawnRequest, handlers: SpawnHandlers, fallback: () => void): boolean {
  if (helper === undefined) helper = start();
  const h = helper;
  if (!h) return false;
  setRef(h, true);
  const q = { req, handlers, fallback };
  if (h.ready) send(h, q);
  else h.queue.push(q);
  return true;
}

/**
 * Starts the helper now if it is not running, so that its start-up overlaps other work (a run
 * calls this before it records its start). Nothing happens where it cannot run.
 */
export function prestartSpawnHelper(): void {
  if (helper === undefined) helper = start();
}

/** The pid of the helper in use, if one runs (for diagnostics and tests). */
export function spawnHelperPid(): number | undefined {
  return helper ? helper.proc.pid : undefined;
}
