// One step attempt as a child process: argv only (never a shell), its own process group,
// stdout/stderr written by the child straight into std_log.txt (no pipe through the executor,
// so a step printing gigabytes costs the executor no memory and no CPU).
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { setLongTimeout } from './long-timeout.js';
import { sweepLater } from './leftover-sweep.js';
import { groupAlive, processStartTime } from './process-identity.js';
import { stepMarker } from './process-marker.js';
import { spawnWithHelper, type ExitInfo } from './spawner-client.js';
import { terminateStep } from './step-termination.js';

export interface StepProcessOptions {
  program: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  header?: string;
  /** Any length: delays beyond setTimeout's 2^31-1 ms are chained. */
  timeoutMs: number | null;
  killGraceMs: number;
  /**
   * A `NAME=value` entry of `env` that only this step's processes carry; processes that left the
   * group are found by it. Default: `MILLRACE_RUN_ID=<env.MILLRACE_RUN_ID>` when env has one.
   */
  marker?: string;
}

export interface StepExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /**
   * Why there is no exit status: the process could not be started at all, or (with
   * `exitUnknown`) it ran but its end could not be observed with its status.
   */
  spawnError?: string;
  /** The process ran and ended, but its exit status is unknown (the spawn helper died meanwhile). */
  exitUnknown?: boolean;
}

export interface StepProcess {
  /** Resolves with the group leader's pid and start time once it runs (undefined if it never started). */
  started: Promise<{ pid: number; pidStart: string | undefined } | undefined>;
  /** Resolves once the process has exited and none of its group or of its marked processes is left. */
  done: Promise<StepExit>;
  /** SIGTERM to the whole group and every marked process, SIGKILL after the grace period. */
  terminate(): void;
}

const shown = (s: string) => s.replace(/\0/g, '\\0').replace(/\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
const notFound = (o: StepProcessOptions) => `cannot start '${shown(o.program)}': not found (cwd ${o.cwd})`;

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text exec() cannot take, named: a NUL byte ends a C string early, and a lone surrogate has
 * no UTF-8 encoding. Checked here so that the helper and Node's spawn fail it alike. The names
 * are only built for the rare text that fails (this runs for every variable of every start).
 */
function unspawnable(o: StepProcessOptions): string | undefined {
  const bad = (text: string) => (text.includes('\0') ? 'holds a NUL byte' : LONE_SURROGATE.test(text) ? 'is not valid Unicode (it holds a lone surrogate)' : undefined);
  const fields: [string, string][] = [['the program', o.program], ...o.args.map((a, i): [string, string] => [`argument ${i + 1}`, a]), ['the working directory', o.cwd], ['the log file path', o.logFile]];
  for (const [what, text] of fields) {
    const why = bad(text);
    if (why) return `${what} ${why}`;
  }
  for (const k in o.env) {
    const v = o.env[k];
    if (v === undefined) continue;
    if (!k || k.includes('=')) return `the environment variable name '${shown(k)}' is empty or holds '='`;
    const why = bad(k);
    if (why) return `the name of environment variable '${shown(k)}' ${why}`;
    const whyValue = bad(v);
    if (whyValue) return `environment variable ${shown(k)} ${whyValue}`;
  }
  return undefined;
}

export function startStepProcess(o: StepProcessOptions): StepProcess {
  const marker = o.marker ?? (o.env.MILLRACE_RUN_ID ? stepMarker(o.env.MILLRACE_RUN_ID) : undefined);
  let pid: number | undefined;
  let timedOut = false;
  let wantTerminate = false;
  let terminating: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  const terminate = () => {
    wantTerminate = true;
    if (pid && !terminating) terminating = terminateStep(pid, marker, o.killGraceMs);
  };
  let resolveStarted!: (v: { pid: number; pidStart: string | undefined } | undefined) => void;
  const started = new Promise<{ pid: number; pidStart: string | undefined } | undefined>((r) => (resolveStarted = r));
  let resolveExit!: (e: StepExit) => void;
  const done = new Promise<StepExit>((r) => (resolveExit = r));

  const onStart = (p: number | undefined, error?: string, pidStart?: string) => {
    if (p === undefined) {
      resolveStarted(undefined);
      resolveExit({ exitCode: null, signal: null, timedOut: false, spawnError: error ?? `cannot start '${shown(o.program)}'` });
      return;
    }
    pid = p;
    resolveStarted({ pid: p, pidStart: pidStart ?? processStartTime(p) });
    if (o.timeoutMs != null) cancelTimer = setLongTimeout(() => ((timedOut = true), terminate()), o.timeoutMs);
    if (wantTerminate) terminate();
  };
  const onExit = async (code: number | null, signal: NodeJS.Signals | null, info: ExitInfo = {}, spawnError?: string) => {
    cancelTimer?.();
    // The leader is gone; what it left behind, in its group or not, goes with it. The helper
    // says whether anything left the group (it is the subreaper); without it, a shared scan
    // looks a little later (one scan per step end would cost each step milliseconds).
    if (pid && (info.orphans === true || groupAlive(pid))) terminate();
    else if (pid && info.orphans === undefined && marker) sweepLater(marker, o.killGraceMs);
    if (terminating) await terminating;
    if (info.lost) resolveExit({ exitCode: null, signal: null, timedOut, exitUnknown: true, spawnError: timedOut ? undefined : info.lost });
    else resolveExit({ exitCode: code, signal, timedOut, spawnError });
  };

  const bad = unspawnable(o);
  if (bad) {
    onStart(undefined, `cannot start '${shown(o.program)}': ${bad}`);
    return { started, done, terminate };
  }
  const viaHelper = spawnWithHelper(
    { argv: [o.program, ...o.args], cwd: o.cwd, env: o.env, log: o.logFile, header: o.header, marker },
    {
      onStart: (p, err, pidStart) => onStart(p, err ? (err.code === 'ENOENT' ? notFound(o) : `cannot start '${shown(o.program)}': ${err.message}`) : undefined, pidStart),
      onExit: (code, signal, info) => void onExit(code, signal, info),
    },
    () => spawnHere(),
  );
  if (!viaHelper) spawnHere();
  return { started, done, terminate };

  function spawnHere(): void {
    let fd: number | undefined;
    try {
      fd = openSync(o.logFile, 'a');
      if (o.header) writeSync(fd, o.header);
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      onStart(undefined, `cannot start '${shown(o.program)}': cannot write its log: ${(e as Error).message}`);
      return;
    }
    let child;
    try {
      child = spawn(o.program, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', fd, fd], detached: true });
    } catch (e) {
      closeSync(fd);
      onStart(undefined, `cannot start '${shown(o.program)}': ${(e as Error).message}`);
      return;
    }
    closeSync(fd); // the child holds its own copy
    let spawnError: string | undefined;
    child.once('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code === 'ENOENT' ? notFound(o) : `cannot start '${shown(o.program)}': ${e.message}`;
      if (!child.pid) onStart(undefined, spawnError);
    });
    if (child.pid) onStart(child.pid);
    child.once('exit', (code, signal) => void onExit(code, signal, {}, spawnError));
  }
}
