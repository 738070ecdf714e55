// One step attempt as a child process: argv only (never a shell), its own process group,
// stdout/stderr written by the child straight into std_log.txt (no pipe through the executor,
// so a step printing gigabytes costs the executor no memory and no CPU).
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { groupAlive, processStartTime, signalGroup } from './process-identity.js';

export interface StepProcessOptions {
  program: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  header?: string;
  timeoutMs: number | null;
  killGraceMs: number;
}

export interface StepExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

export interface StepProcess {
  pid: number | undefined;
  pidStart: string | undefined;
  /** Resolves once the process has exited and no member of its group is left. */
  done: Promise<StepExit>;
  /** SIGTERM to the whole group, SIGKILL after the grace period. */
  terminate(): void;
}

/** Waits until the group is gone: SIGTERM, then SIGKILL after `graceMs`. */
export function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  signalGroup(pgid, 'SIGCONT'); // a stopped process cannot act on SIGTERM
  const start = Date.now();
  return new Promise((done) => {
    const tick = () => {
      if (!groupAlive(pgid)) return done();
      const waited = Date.now() - start;
      if (waited >= graceMs) signalGroup(pgid, 'SIGKILL');
      if (waited >= graceMs + 5000) return done(); // unkillable (D state): give up waiting
      setTimeout(tick, waited < 200 ? 20 : 100);
    };
    tick();
  });
}

export function startStepProcess(o: StepProcessOptions): StepProcess {
  const fd = openSync(o.logFile, 'a');
  if (o.header) writeSync(fd, o.header);
  let child;
  try {
    child = spawn(o.program, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', fd, fd], detached: true });
  } catch (e) {
    closeSync(fd);
    const msg = `cannot start '${o.program}': ${(e as Error).message}`;
    return { pid: undefined, pidStart: undefined, terminate: () => {}, done: Promise.resolve({ exitCode: null, signal: null, timedOut: false, spawnError: msg }) };
  }
  closeSync(fd); // the child holds its own copy
  const pid = child.pid;
  const pidStart = pid ? processStartTime(pid) : undefined;
  let timedOut = false;
  let terminating: Promise<void> | undefined;
  const terminate = () => {
    if (pid && !terminating) terminating = terminateGroup(pid, o.killGraceMs);
  };
  const timer = o.timeoutMs != null ? setTimeout(() => ((timedOut = true), terminate()), o.timeoutMs) : undefined;
  const done = new Promise<StepExit>((resolveExit) => {
    let spawnError: string | undefined;
    child.once('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code === 'ENOENT' ? `cannot start '${o.program}': not found (cwd ${o.cwd})` : `cannot start '${o.program}': ${e.message}`;
      if (!pid) {
        if (timer) clearTimeout(timer);
        resolveExit({ exitCode: null, signal: null, timedOut: false, spawnError });
      }
    });
    child.once('exit', async (code, signal) => {
      if (timer) clearTimeout(timer);
      // The leader is gone; what it left behind in its group goes with it.
      if (pid && groupAlive(pid)) terminate();
      if (terminating) await terminating;
      resolveExit({ exitCode: code, signal, timedOut, spawnError });
    });
  });
  return { pid, pidStart, done, terminate };
}
