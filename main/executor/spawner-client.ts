// Client of spawner.py, the helper that starts step processes with vfork (see that file for why).
// The helper starts in the background on first use; requests made meanwhile wait for its
// "ready" line. Where it cannot run (no python3, no pidfd, Windows, MILLRACE_SPAWNER=node) every
// request falls back to Node's own spawn, so the helper is an optimisation, never a dependency.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot, unpackedPath } from '../package-root.js';

export interface SpawnRequest {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: string;
  header?: string;
}

export interface SpawnHandlers {
  onStart(pid: number | undefined, error?: { code: string; message: string }): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
}

interface Queued {
  req: SpawnRequest;
  handlers: SpawnHandlers;
  fallback: () => void;
}

interface Helper {
  proc: ChildProcess;
  ready: boolean;
  queue: Queued[];
  inFlight: Map<number, SpawnHandlers>;
  nextId: number;
}

let helper: Helper | null | undefined;

type Refable = { ref?: () => void; unref?: () => void };
function setRef(h: Helper, on: boolean): void {
  for (const x of [h.proc, h.proc.stdout, h.proc.stdin] as unknown as Refable[]) (on ? x?.ref : x?.unref)?.call(x);
}

function start(): Helper | null {
  if (process.env.MILLRACE_SPAWNER === 'node' || process.platform === 'win32') return null;
  let proc: ChildProcess;
  try {
    proc = spawn(process.env.MILLRACE_SPAWNER_PYTHON || 'python3', ['-u', unpackedPath(join(packageRoot(), 'main', 'executor', 'spawner.py'))], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
  } catch {
    return null;
  }
  const h: Helper = { proc, ready: false, queue: [], inFlight: new Map(), nextId: 1 };
  const fail = () => {
    if (helper === h) helper = null; // from now on Node spawns
    for (const q of h.queue.splice(0)) q.fallback();
    for (const p of h.inFlight.values()) p.onExit(null, null);
    h.inFlight.clear();
  };
  proc.on('error', fail);
  proc.on('exit', fail);
  proc.stdin!.on('error', () => {});
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const m = JSON.parse(line) as { ready?: boolean; id: number; pid?: number; error?: string; message?: string; exit?: number | null; signal?: NodeJS.Signals | null };
    if (m.ready) {
      h.ready = true;
      for (const q of h.queue.splice(0)) send(h, q);
      return;
    }
    const p = h.inFlight.get(m.id);
    if (!p) return;
    if (m.error) {
      h.inFlight.delete(m.id);
      p.onStart(undefined, { code: m.error, message: m.message ?? m.error });
    } else if (m.pid !== undefined) {
      p.onStart(m.pid);
      return;
    } else {
      h.inFlight.delete(m.id);
      p.onExit(m.exit ?? null, m.signal ?? null);
    }
    // While steps run, the helper's pipe keeps the event loop alive; when none run, it may end.
    if (!h.inFlight.size && !h.queue.length) setRef(h, false);
  });
  setRef(h, false);
  return h;
}

function send(h: Helper, q: Queued): void {
  const id = h.nextId++;
  h.inFlight.set(id, q.handlers);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(q.req.env)) if (v !== undefined) env[k] = v;
  h.proc.stdin!.write(`${JSON.stringify({ id, argv: q.req.argv, cwd: q.req.cwd, env, log: q.req.log, header: q.req.header ?? '' })}\n`);
}

/**
 * Start a process through the helper. Returns false when the helper is known to be unavailable
 * (the caller spawns itself); `fallback` is called instead of the handlers if the helper turns
 * out unusable before this request was sent.
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
