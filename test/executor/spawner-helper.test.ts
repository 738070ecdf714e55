// The spawn helper (main/executor/spawner.py) and its client: one bad request fails only itself,
// and when the helper dies anyway, running steps are adopted (not reported dead) and a new
// helper starts the next ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSameProcessAlive, processStartTime } from '../../main/executor/process-identity.js';
import { LOST_EXIT, spawnHelperPid, spawnWithHelper } from '../../main/executor/spawner-client.js';
import { startStepProcess, type StepExit, type StepProcessOptions } from '../../main/executor/step-process.js';
import { pidAlive, waitFor } from '../helpers/executor.js';
import { repoRoot } from '../helpers/workspace.js';

let dir: string;
let n = 0;
const leftovers: { pid: number; start: string | undefined }[] = [];
const helpers: ChildProcess[] = [];
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'millrace-spawner-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  for (const h of helpers.splice(0)) h.kill('SIGKILL');
  for (const p of leftovers.splice(0)) if (p.start && isSameProcessAlive(p.pid, p.start)) process.kill(p.pid, 'SIGKILL');
});

const options = (program: string, args: string[]): StepProcessOptions => ({
  program, args, cwd: dir, logFile: join(dir, `log-${++n}.txt`),
  env: { PATH: process.env.PATH, MILLRACE_RUN_ID: `spawner-test-${process.pid}-${n}` },
  timeoutMs: null, killGraceMs: 300,
});

async function running(o: StepProcessOptions) {
  const proc = startStepProcess(o);
  const st = await proc.started;
  expect(st).toBeDefined();
  leftovers.push({ pid: st!.pid, start: st!.pidStart });
  let exit: StepExit | undefined;
  void proc.done.then((e) => (exit = e));
  return { proc, pid: st!.pid, start: st!.pidStart!, exited: () => exit };
}

describe('the spawn helper, spoken to directly', () => {
  it('answers every bad request with an error naming the field, and keeps running', async () => {
    const helper = spawn('python3', ['-u', join(repoRoot, 'main', 'executor', 'spawner.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    helpers.push(helper);
    const answers: Record<string, unknown>[] = [];
    createInterface({ input: helper.stdout! }).on('line', (l) => answers.push(JSON.parse(l)));
    const log = join(dir, 'direct.log');
    const base = { argv: ['true'], cwd: dir, env: { PATH: process.env.PATH }, log, header: '' };
    const bad: [object, RegExp][] = [
      [{ argv: ['echo', 'a\u0000b'] }, /^argument 1 holds a NUL byte$/],
      [{ argv: ['echo', '\ud800'] }, /^argument 1 is not valid Unicode/],
      [{ argv: ['ec\u0000ho'] }, /^the program holds a NUL byte$/],
      [{ env: { X: 'a\u0000b' } }, /^environment variable 'X' holds a NUL byte$/],
      [{ env: { 'X\u0000Y': '1' } }, /^the name of environment variable 'X\\x00Y' holds a NUL byte$/],
      [{ env: { X: '\udc00' } }, /^environment variable 'X' is not valid Unicode/],
      [{ env: { 'A=B': '1' } }, /environment variable name 'A=B' is empty or holds '='/],
      [{ cwd: `${dir}\u0000` }, /^the working directory holds a NUL byte$/],
      [{ cwd: join(dir, 'missing') }, /No such file or directory.*missing/],
      [{ log: `${log}\ud800` }, /^the log file path is not valid Unicode/],
      [{ header: 'attempt \ud800\n' }, /^the log header is not valid Unicode/],
      [{ argv: [] }, /argv must be a non-empty list/],
      [{ env: 'PATH=/bin' }, /env must be an object/],
      [{ argv: ['millrace-no-such-program'] }, /No such file or directory/],
    ];
    bad.forEach(([fields], i) => helper.stdin!.write(`${JSON.stringify({ ...base, ...fields, id: i + 1 })}\n`));
    helper.stdin!.write('this is not json\n');
    helper.stdin!.write(`${JSON.stringify({ ...base, argv: ['sh', '-c', 'exit 7'], id: 100 })}\n`);
    await waitFor(() => answers.some((a) => a.id === 100 && 'exit' in a), 'the good request to end');
    bad.forEach(([, message], i) => {
      const a = answers.find((x) => x.id === i + 1);
      expect(a, `request ${i + 1}`).toMatchObject({ error: expect.any(String) });
      expect(a!.message, `request ${i + 1}`).toMatch(message);
    });
    expect(answers.find((a) => a.id === bad.length)).toMatchObject({ error: 'ENOENT' });
    expect(answers).toContainEqual({ error: 'EPROTO', message: expect.stringMatching(/unreadable request/) });
    expect(answers.find((a) => a.id === 100 && 'exit' in a)).toMatchObject({ exit: 7, signal: null });
    expect(helper.exitCode).toBeNull();
    expect(readFileSync(log, 'utf8')).toBe(''); // nothing was started for the bad requests
  });
});

describe('what a step gets from the helper', () => {
  it("starts it as exec would from the step's side: default signals, stdin empty, its own PATH and folder", async () => {
    // Python ignores SIGPIPE and SIGXFSZ; a child must not inherit that (`yes | head` would not end).
    const bin = join(dir, `bin-${++n}`);
    const work = join(dir, `work-${n}`);
    mkdirSync(bin);
    mkdirSync(work);
    writeFileSync(join(bin, 'millrace-test-tool'), '#!/bin/sh\nreadlink /proc/$$/fd/0\npwd\nexec grep -E "^Sig(Ign|Blk)" /proc/self/status\n');
    chmodSync(join(bin, 'millrace-test-tool'), 0o755);
    const o = { ...options('millrace-test-tool', []), cwd: work };
    o.env = { ...o.env, PATH: `${bin}:${process.env.PATH}` };
    const p = startStepProcess(o);
    expect(await p.done).toMatchObject({ exitCode: 0, signal: null });
    expect(spawnHelperPid()).toBeDefined(); // it went through the helper
    const [stdin, cwd, blocked, ignored] = readFileSync(o.logFile, 'utf8').trim().split('\n');
    expect(blocked).toBe('SigBlk:\t0000000000000000');
    // glibc's posix_spawn leaves its own two internal signals (32, 33) ignored; every libc that
    // uses them installs its handlers at start-up, and nothing sends them to other programs.
    expect(BigInt(`0x${ignored.replace('SigIgn:\t', '')}`) & ~0x180000000n).toBe(0n);
    expect([stdin, cwd]).toEqual(['/dev/null', work]);
  });
});

describe('the spawn helper under the executor', () => {
  it.skipIf(!existsSync('/usr/bin/python3'))("runs on the system's Python, isolated and without site (not through a version manager's shim)", async () => {
    await (await running(options('true', []))).proc.done;
    const pid = spawnHelperPid()!;
    expect(readlinkSync(`/proc/${pid}/exe`)).toBe(realpathSync('/usr/bin/python3'));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1, 4)).toEqual(['-I', '-S', '-u']);
  });

  it('fails a bad request alone: a running step is neither reported ended nor left unwatched', async () => {
    const a = await running(options('sleep', ['300']));
    const helperPid = spawnHelperPid();
    expect(helperPid).toBeDefined();
    // Straight to the helper, past startStepProcess's own check of the same thing.
    const answer = await new Promise((resolve) =>
      spawnWithHelper(
        { argv: ['echo', 'a\u0000b'], cwd: dir, env: { PATH: process.env.PATH }, log: join(dir, 'bad.log') },
        { onStart: (pid, error) => resolve({ pid, error }), onExit: () => resolve('exit') },
        () => resolve('fallback'),
      ),
    );
    expect(answer).toEqual({ pid: undefined, error: { code: 'EINVAL', message: 'argument 1 holds a NUL byte' } });
    const b = startStepProcess(options('sh', ['-c', 'exit 5']));
    expect(await b.done).toMatchObject({ exitCode: 5, signal: null });
    expect(spawnHelperPid()).toBe(helperPid);
    expect(a.exited()).toBeUndefined();
    expect(isSameProcessAlive(a.pid, a.start)).toBe(true);
    a.proc.terminate();
    // The helper still watches it: its real end, with the signal, not an unknown status.
    expect(await a.proc.done).toEqual({ exitCode: null, signal: 'SIGTERM', timedOut: false, spawnError: undefined });
  });

  it("is the subreaper of what steps leave behind, reaps it without taking a step's exit status", async () => {
    const orphanFile = join(dir, `orphan-${++n}`);
    // The subshell starts a sleep in a new session and ends at once: the sleep's parent is gone.
    const a = await running(options('sh', ['-c', '(setsid sleep 300 & echo $! > "$0"); sleep 300', orphanFile]));
    const b = await running(options('sh', ['-c', 'while [ ! -e "$0" ]; do sleep 0.02; done; exit 9', `${orphanFile}.done`]));
    const orphan = Number(await waitFor(() => { try { return readFileSync(orphanFile, 'utf8').trim(); } catch { return undefined; } }, 'the orphan pid'));
    leftovers.push({ pid: orphan, start: processStartTime(orphan) });
    const ppid = () => Number(readFileSync(`/proc/${orphan}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    await waitFor(() => ppid() !== a.pid, 'the subshell to end');
    expect(ppid()).toBe(spawnHelperPid());
    writeFileSync(`${orphanFile}.done`, '');
    expect(await b.proc.done).toMatchObject({ exitCode: 9, signal: null });
    a.proc.terminate();
    expect(await a.proc.done).toMatchObject({ signal: 'SIGTERM' });
    // Killed by its marker (it left the group), then reaped by the helper: not even a zombie left.
    await waitFor(() => { try { readFileSync(`/proc/${orphan}/stat`); return false; } catch { return true; } }, 'the orphan to be reaped', 5000);
  });

  it('adopts running steps when the helper is killed -9, and starts a new helper for the next ones', async () => {
    const stop = join(dir, 'stop');
    const a = await running(options('sh', ['-c', 'while [ ! -e "$0" ]; do sleep 0.02; done', stop]));
    const old = spawnHelperPid()!;
    process.kill(old, 'SIGKILL');
    await waitFor(() => spawnHelperPid() !== old, 'the client to see the helper gone');
    const b = await running(options('sh', ['-c', 'exit 0']));
    const fresh = spawnHelperPid();
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(await b.proc.done).toMatchObject({ exitCode: 0 });
    // The adopted step runs on, followed by pid + start time; its end is reported, status unknown.
    expect(a.exited()).toBeUndefined();
    expect(isSameProcessAlive(a.pid, a.start)).toBe(true);
    writeFileSync(stop, '');
    expect(await a.proc.done).toEqual({ exitCode: null, signal: null, timedOut: false, exitUnknown: true, spawnError: LOST_EXIT });
  });

  it('kills what a helper that died mid-start left, and starts the step with Node instead', async () => {
    // A stand-in helper: starts the process it is asked for, then dies before answering.
    const fake = join(dir, 'fake-helper');
    const childPidFile = join(dir, 'fake-child');
    writeFileSync(fake, [
      '#!/usr/bin/env python3',
      'import json, os, signal, subprocess, sys',
      'print(json.dumps({"ready": True}), flush=True)',
      'req = json.loads(sys.stdin.readline())',
      'p = subprocess.Popen(req["argv"], cwd=req["cwd"], env=req["env"], start_new_session=True)',
      `open(${JSON.stringify(childPidFile)}, "w").write(str(p.pid))`,
      'os.kill(os.getpid(), signal.SIGKILL)',
      '',
    ].join('\n'));
    chmodSync(fake, 0o755);
    vi.resetModules();
    process.env.MILLRACE_SPAWNER_PYTHON = fake;
    try {
      const fresh = await import('../../main/executor/step-process.js');
      const proc = fresh.startStepProcess(options('sleep', ['300']));
      const st = await Promise.race([proc.started, proc.done.then((e) => e)]);
      const orphan = Number(readFileSync(childPidFile, 'utf8'));
      leftovers.push({ pid: orphan, start: processStartTime(orphan) });
      expect(st).toMatchObject({ pid: expect.any(Number) });
      const { pid, pidStart } = st as { pid: number; pidStart: string };
      leftovers.push({ pid, start: pidStart });
      expect(pid).not.toBe(orphan);
      // Found by its marker and killed (SIGKILL is delivered asynchronously: wait for it to land).
      await waitFor(() => !pidAlive(orphan), 'the process the dead helper started to be killed', 5000);
      expect(isSameProcessAlive(pid, pidStart)).toBe(true);
      proc.terminate();
      expect(await proc.done).toMatchObject({ signal: 'SIGTERM' });
    } finally {
      delete process.env.MILLRACE_SPAWNER_PYTHON;
    }
  });
});
