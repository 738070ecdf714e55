// Resource-aware local slots: cpus, memory and GPU ids as leases, and the submit-time check that
// a step never asks for more than its target has (file:line:col).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { parseMemoryMb } from '../../shared/pipeline/resources.js';
import { ComputePool } from '../../main/executor/compute-pool.js';
import { submitRun } from '../../main/executor/submit.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { runPipeline, sh, step, writePipeline } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace | undefined;
afterEach(() => {
  ws?.close();
  ws = undefined;
  tmp?.cleanup();
});

const config = (local: object) => stringify({ compute: { local: { type: 'local', max_concurrency: 4, ...local } }, executor: { kill_grace_ms: 300 } });

/**
 * A step that marks itself running in `dir`, and fails if `other` is marked running meanwhile;
 * with `meet`, it instead waits (up to 10 s) until `other` runs too, and fails if it never does.
 */
const marker = (dir: string, me: string, other: string, meet = false) =>
  sh(
    meet
      ? 'touch "$0/$1"; i=0; while [ ! -e "$0/$2" ]; do i=$((i+1)); [ $i -gt 100 ] && exit 7; sleep 0.1; done; sleep 0.3; rm "$0/$1"'
      : 'touch "$0/$1"; for i in 1 2 3 4 5 6; do [ -e "$0/$2" ] && exit 9; sleep 0.1; done; rm "$0/$1"',
    dir, me, other,
  );

describe('local resource slots', () => {
  it('a 2-cpu step waits for a running 1-cpu step on a 2-cpu target; two 1-cpu steps share it', async () => {
    tmp = tempWorkspace(config({ cpus: 2 }));
    ws = tmp.open();
    const file = writePipeline(tmp, 'cpus', {
      steps: {
        small: { type: 'command', command: marker(tmp.dir, 'small', 'big') },
        big: { type: 'command', resources: { cpus: 2 }, command: marker(tmp.dir, 'big', 'small') },
        a: { type: 'command', run_after: ['small', 'big'], command: marker(tmp.dir, 'a', 'b', true) },
        b: { type: 'command', run_after: ['small', 'big'], command: marker(tmp.dir, 'b', 'a', true) },
      },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status, JSON.stringify(rec.steps.map((s) => [s.name, s.status, s.error]))).toBe('Completed');
  });

  it('memory is a resource too: two 6G steps never overlap on a 10G target', async () => {
    tmp = tempWorkspace(config({ memory: '10G' }));
    ws = tmp.open();
    const file = writePipeline(tmp, 'mem', {
      steps: {
        one: { type: 'command', resources: { memory: '6G' }, command: marker(tmp.dir, 'one', 'two') },
        two: { type: 'command', resources: { memory: '6144M' }, command: marker(tmp.dir, 'two', 'one') },
      },
    });
    expect((await runPipeline(ws, file)).status).toBe('Completed');
  });

  it('hands each GPU step its own device ids in CUDA_VISIBLE_DEVICES, and none to a step without GPUs', async () => {
    tmp = tempWorkspace(config({ gpus: [7, 'GPU-b'] }));
    ws = tmp.open();
    const out = (name: string) => ({ type: 'command', outputs: { o: {} }, command: sh('printf "%s" "${CUDA_VISIBLE_DEVICES-unset}" > "$0/ids"; sleep 0.5', '${{outputs.o}}') });
    const file = writePipeline(tmp, 'gpus', {
      steps: {
        g1: { ...out('g1'), resources: { gpus: 1 } },
        g2: { ...out('g2'), resources: { gpus: 1 } },
        none: out('none'),
        both: { ...out('both'), resources: { gpus: 2 }, run_after: ['g1', 'g2'] },
      },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    const ids = (name: string) => readFileSync(join(step(rec, name).outputs.o, 'ids'), 'utf8');
    expect([ids('g1'), ids('g2')].sort()).toEqual(['7', 'GPU-b']);
    expect(ids('none')).toBe('');
    expect(ids('both')).toBe('7,GPU-b');
  });

  it('refuses at submit a step that asks for more than its target has, with file:line:col', () => {
    tmp = tempWorkspace(config({ cpus: 2, memory: '1G', gpus: [0] }));
    ws = tmp.open();
    const file = writePipeline(tmp, 'huge', {
      steps: {
        ok: { type: 'command', command: ['true'] },
        huge: { type: 'command', resources: { cpus: 4, memory: '2G', gpus: 2 }, command: ['true'] },
      },
    });
    let err: UserError | undefined;
    try {
      submitRun(ws, file, { trigger: { kind: 'cli' } });
    } catch (e) {
      err = e as UserError;
    }
    expect(err).toBeInstanceOf(UserError);
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = (needle: string) => `${file}:${lines.findIndex((l) => l.includes(needle)) + 1}:`;
    expect(err!.details).toEqual([
      expect.stringMatching(new RegExp(`^${at('cpus: 4')}\\d+: step 'huge' asks for 4 cpus; compute target 'local' has 2$`)),
      expect.stringMatching(new RegExp(`^${at('memory: 2G')}\\d+: step 'huge' asks for 2G of memory; compute target 'local' has 1G$`)),
      expect.stringMatching(new RegExp(`^${at('gpus: 2')}\\d+: step 'huge' asks for 2 GPUs; compute target 'local' has 1$`)),
    ]);
    expect(ws.store.runs.list()).toEqual([]);
  });

  it('rejects a memory size it cannot read, where it is written', () => {
    tmp = tempWorkspace(config({}));
    ws = tmp.open();
    const file = writePipeline(tmp, 'badmem', { steps: { s: { type: 'command', resources: { memory: 'lots' }, command: ['true'] } } });
    expect(() => submitRun(ws!, file, { trigger: { kind: 'cli' } })).toThrow(/badmem\.yml:\d+:\d+: steps\.s\.resources\.memory: expected a memory size such as 512M, 16G/);
  });
});

describe('slot leases with resources', () => {
  it('grants in request order: a big request at the head is not overtaken by small ones', async () => {
    const pool = new ComputePool(`test-${Math.random()}`, { slots: 4, cpus: 2 });
    const first = await pool.acquire(undefined, { cpus: 1, memoryMb: 0, gpus: 0 });
    const order: string[] = [];
    const big = pool.acquire(undefined, { cpus: 2, memoryMb: 0, gpus: 0 }).then((l) => (order.push('big'), l));
    const small = pool.acquire(undefined, { cpus: 1, memoryMb: 0, gpus: 0 }).then((l) => (order.push('small'), l));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]); // one cpu is free, but the 2-cpu request came first
    first.release();
    const b = await big;
    expect(order).toEqual(['big']);
    b.release();
    (await small).release();
    expect(order).toEqual(['big', 'small']);
    await expect(pool.acquire(undefined, { cpus: 3, memoryMb: 0, gpus: 0 })).rejects.toThrow(/more than its compute target has/);
  });

  it('reads memory sizes as Slurm does (a plain number is MiB)', () => {
    expect([parseMemoryMb('16G'), parseMemoryMb('512M'), parseMemoryMb('2048'), parseMemoryMb('1.5G'), parseMemoryMb('1T'), parseMemoryMb('4GiB')]).toEqual([16384, 512, 2048, 1536, 1048576, 4096]);
    expect(parseMemoryMb('lots')).toBeUndefined();
  });
});
