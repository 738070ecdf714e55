// Helpers for executor tests: pipelines written as JS objects, in-process runs, polling, process checks.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunStatus } from '../../shared/constants.js';
import type { RunRecord } from '../../shared/types.js';
import type { ApiEvent as RunEvent } from '../../shared/api/events.js';
import { submitRun } from '../../main/executor/submit.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import type { TempWorkspace } from './workspace.js';

/** millrace.yml for executor tests: short kill grace so cancel/timeout tests stay quick. */
export const execConfig = (maxConcurrency = 4) =>
  stringify({
    compute: { local: { type: 'local', max_concurrency: maxConcurrency } },
    environments: { default: { python: 'python3', env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } } },
    executor: { kill_grace_ms: 300 },
  });

/** Writes pipelines/<name>.yml from an object; returns its absolute path. */
export function writePipeline(tmp: TempWorkspace, name: string, spec: object): string {
  return tmp.write(join('pipelines', `${name}.yml`), stringify(spec, { lineWidth: 0 }));
}

/** A command step running a shell script; extra argv entries become $0, $1, ... */
export const sh = (script: string, ...args: string[]) => ['sh', '-c', script, ...args];

export interface Finished {
  runId: string;
  status: RunStatus;
  rec: RunRecord;
  events: RunEvent[];
}

export async function runPipeline(
  ws: Workspace,
  file: string,
  o: { parameters?: Record<string, unknown>; regenerateOutputs?: boolean } = {},
): Promise<Finished> {
  const events: RunEvent[] = [];
  const { runId, runner } = submitRun(ws, file, {
    trigger: { kind: 'cli' },
    parameters: o.parameters,
    regenerateOutputs: o.regenerateOutputs,
    onEvent: (e) => events.push(e),
  });
  const status = await runner.run();
  return { runId, status, rec: ws.store.runs.get(runId), events };
}

export const step = (rec: RunRecord, name: string) => {
  const s = rec.steps.find((x) => x.name === name);
  if (!s) throw new Error(`run ${rec.id} has no step ${name}`);
  return s;
};

/** Polls `fn` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor<T>(fn: () => T | undefined | null | false, what: string, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** True while the pid exists and is not a zombie (PID 1 in a container may never reap orphans). */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] !== 'Z' && Number(rest[2]) === pgid) out.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Pids a step wrote, one per line, once `count` of them are there. */
export function readPids(file: string, count: number): number[] | undefined {
  if (!existsSync(file)) return undefined;
  const pids = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  return pids.length >= count ? pids : undefined;
}

/**
 * A step script that records its own pid and two background sleeps' pids in "$0", then waits:
 * a process group of three for cancel and recovery tests.
 */
export const SLEEPERS = 'sleep 100 & echo $! >> "$0"; sleep 100 & echo $! >> "$0"; echo $$ >> "$0"; wait';
