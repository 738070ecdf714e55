// `millrace serve` as a real child process over a temp workspace, and the store read from the test.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Store } from '../../main/store/store.js';
import { cli, cliAsync } from '../helpers/workspace.js';

export interface ServeProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export async function startServe(dir: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []): Promise<ServeProcess> {
  const child = cliAsync(['serve', '--port', '0', '--json', '-w', dir, ...extra], { env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const end = Date.now() + 20_000;
  while (!out.includes('}')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`serve exited: ${err}`);
    if (Date.now() > end) throw new Error(`serve did not start: ${err}`);
    await sleep(25);
  }
  return {
    child,
    stderr: () => err,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ok(args: string[]): string {
  const r = cli(args);
  if (r.status !== 0) throw new Error(`millrace ${args.join(' ')} -> ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export function writeData(dir: string, rel: string, text: string): void {
  const p = join(dir, 'datastores', 'default', rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** The runs of one schedule as the store has them, oldest first. */
export function runsOf(dir: string, schedule: string): { id: string; path: string; hash: string; files?: number; param: unknown }[] {
  const store = Store.open(join(dir, 'millrace.db'));
  try {
    const s = store.schedules.get(schedule);
    return store.schedules
      .runs(s.id, 1_000_000, 0)
      .rows.reverse()
      .map((r) => {
        const t = r.trigger as unknown as { path: string; hash: string; files?: number };
        return { id: r.id, path: t.path, hash: t.hash, files: t.files, param: store.runs.get(r.id).parameters.raw_path };
      });
  } finally {
    store.close();
  }
}

/** Waits until `n` runs exist, then a little longer to see that no more come. */
export async function expectRuns(dir: string, schedule: string, n: number, settleMs = 1500, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (runsOf(dir, schedule).length < n) {
    if (Date.now() > end) throw new Error(`expected ${n} runs of ${schedule}, have ${runsOf(dir, schedule).length}`);
    await sleep(100);
  }
  await sleep(settleMs);
  const runs = runsOf(dir, schedule);
  if (runs.length !== n) throw new Error(`expected exactly ${n} runs of ${schedule}, have ${runs.length}: ${runs.map((r) => r.path).join(', ')}`);
  return runs;
}
