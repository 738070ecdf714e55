// One step attempt as a child process: argv only (never a shell), its own process group,
// stdout/stderr written by the child straight into std_log.txt (no pipe through the executor,
// so a step printing gigabytes costs the executor no memory and no CPU).
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { groupAlive, processStartTime, signalGroup } from './process-identity.js';
import { spawnWithHelper } from './spawner-client.js';

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
  /** Resolves with the group leader's pid and start time once it runs (undefined if it never started). */
  started: Promise<{ pid: number; pidStart: string | undefined } | undefined>;
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

const notFound = (o: StepProcessOptions) => `cannot start '${o.program}': not found (cwd ${o.cwd})`;

export function startStepProcess(o: StepProcessOptions): StepProcess {
  let pid: number | undefined;
  let timedOut = false;
  let wantTerminate = false;
  let terminating: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const terminate = () => {
    wantTerminate = true;
    if (pid && !terminating) terminating = terminateGroup(pid, o.killGraceMs);
  };
  let resolveStarted!: (v: { pid: number; pidStart: string | undefined } | undefined) => void;
  const started = new Promise<{ pid: number; pidStart: string | undefined } | undefined>((r) => (resolveStarted = r));
  let resolveExit!: (e: StepExit) => void;
  const done = new Promise<StepExit>((r) => (resolveExit = r));

  const onStart = (p: number | undefined, error?: string) => {
    if (p === undefined) {
      resolveStarted(undefined);
      resolveExit({ exitCode: null, signal: null, timedOut: false, spawnError: error ?? `cannot start '${o.program}'` });
      return;
    }
    pid = p;
    resolveStarted({ pid: p, pidStart: processStartTime(p) });
    if (o.timeoutMs != null) timer = setTimeout(() => ((timedOut = true), terminate()), o.timeoutMs);
    if (wantTerminate) terminate();
  };
  const onExit = async (code: number | null, signal: NodeJS.Signals | null, spawnError?: string) => {
    if (timer) clearTimeout(timer);
    // The leader is gone; what it left behind in its group goes with it.
    if (pid && groupAlive(pid)) terminate();
    if (terminating) await terminating;
    resolveExit({ exitCode: code, signal, timedOut, spawnError });
  };

  const viaHelper = spawnWithHelper(
    { argv: [o.program, ...o.args], cwd: o.cwd, env: o.env, log: o.logFile, header: o.header },
    {
      onStart: (p, err) => onStart(p, err ? (err.code === 'ENOENT' ? notFound(o) : `cannot start '${o.program}': ${err.message}`) : undefined),
      onExit: (code, signal) => void onExit(code, signal, pid === undefined ? 'the spawn helper ended before the step started' : undefined),
    },
    () => spawnHere(),
  );
  if (!viaHelper) spawnHere();
  return { started, done, terminate };

  function spawnHere(): void {
    const fd = openSync(o.logFile, 'a');
    if (o.header) writeSync(fd, o.header);
    let child;
    try {
      child = spawn(o.program, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', fd, fd], detached: true });
    } catch (e) {
      closeSync(fd);
      onStart(undefined, `cannot start '${o.program}': ${(e as Error).message}`);
      return;
    }
    closeSync(fd); // the child holds its own copy
    let spawnError: string | undefined;
    child.once('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code === 'ENOENT' ? notFound(o) : `cannot start '${o.program}': ${e.message}`;
      if (!child.pid) onStart(undefined, spawnError);
    });
    if (child.pid) onStart(child.pid);
    child.once('exit', (code, signal) => void onExit(code, signal, spawnError));
  }
}
