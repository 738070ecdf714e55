// The step state table, the slot leases and the write barrier, each alone.
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_STATUSES, isTerminal } from '../../shared/constants.js';
import { ComputePool } from '../../main/executor/compute-pool.js';
import { RunWriter, WriteAfterClose } from '../../main/executor/run-writer.js';
import { IllegalTransition, nextStatus, STEP_EVENTS, STEP_TRANSITIONS } from '../../main/executor/step-states.js';
import { Store } from '../../main/store/store.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

describe('step transitions', () => {
  it('follows the table and refuses everything else', () => {
    expect(nextStatus('NotStarted', 'ready')).toBe('Preparing');
    expect(nextStatus('Preparing', 'reused')).toBe('Completed');
    expect(nextStatus('Queued', 'start')).toBe('Running');
    expect(nextStatus('Running', 'retry')).toBe('Running');
    expect(nextStatus('Running', 'exited')).toBe('Finalizing');
    let legal = 0;
    for (const from of RUN_STATUSES) {
      for (const on of STEP_EVENTS) {
        const row = STEP_TRANSITIONS.find((t) => t.on === on && (t.from === from || (t.from === 'active' && !isTerminal(from))));
        if (row) {
          legal++;
          expect(nextStatus(from, on)).toBe(row.to);
        } else {
          expect(() => nextStatus(from, on), `${on} in ${from}`).toThrow(IllegalTransition);
        }
      }
    }
    expect(legal).toBeGreaterThan(10);
  });

  it('never leaves a terminal status, and a process starts only on entering Running (a Slurm job: on being submitted)', () => {
    for (const t of STEP_TRANSITIONS) if (t.from !== 'active') expect(isTerminal(t.from)).toBe(false);
    const launching = STEP_TRANSITIONS.filter((t) => t.launches).map((t) => `${t.from}:${t.on}:${t.to}`);
    expect(launching.sort()).toEqual(['Queued:resubmit:Queued', 'Queued:start:Running', 'Queued:submit:Queued', 'Running:resubmit:Queued', 'Running:retry:Running']);
    // A Slurm step reaches Running only when its job runs, never by starting anything itself.
    const intoRunning = STEP_TRANSITIONS.filter((t) => t.to === 'Running' && !t.launches).map((t) => t.on);
    expect(intoRunning).toEqual(['jobRunning']);
  });
});

describe('compute slot leases', () => {
  it('grants in request order, releases once, and drops aborted requests', async () => {
    const pool = new ComputePool(`test-${Math.random()}`, 1);
    const first = await pool.acquire();
    const order: string[] = [];
    const ctl = new AbortController();
    const second = pool.acquire().then((l) => (order.push('second'), l));
    const aborted = pool.acquire(ctl.signal).then(
      () => order.push('aborted got a slot'),
      (e: Error) => order.push(e.name),
    );
    const third = pool.acquire().then((l) => (order.push('third'), l));
    ctl.abort();
    await aborted;
    first.release();
    first.release(); // a second release gives nothing back
    const l2 = await second;
    expect(pool.inUse).toBe(1);
    l2.release();
    (await third).release();
    expect(order).toEqual(['AbortError', 'second', 'third']);
    expect(pool.inUse).toBe(0);
  });
});

describe('run writer', () => {
  let tmp: TempWorkspace;
  afterEach(() => tmp?.cleanup());

  it('coalesces writes, commits them at close, then refuses writes', async () => {
    tmp = tempWorkspace();
    const store = Store.open(`${tmp.dir}/millrace.db`);
    try {
      store.runs.createPipelineRun({
        id: 'r1', experiment: 'e', pipelineName: 'p', pipelineFile: null, parameters: {}, definition: {},
        trigger: { kind: 'cli' }, owner: null, steps: [{ id: 's1', name: 'a', displayName: 'a', seq: 0, definition: {} }],
      });
      const w = new RunWriter(store.runs);
      w.write('s1', { status: 'Queued' });
      w.write('s1', { status: 'Running', attempt: 1 });
      expect(store.runs.state('s1')!.status).toBe('NotStarted'); // not yet: one transaction per window
      w.close([['r1', { status: 'Completed' }]]);
      expect(store.runs.state('s1')).toMatchObject({ status: 'Running', attempt: 1 });
      expect(store.runs.state('r1')!.status).toBe('Completed');
      expect(() => w.write('s1', { status: 'Failed' })).toThrow(WriteAfterClose);
      await new Promise((r) => setImmediate(r));
      expect(store.runs.state('s1')!.status).toBe('Running');
    } finally {
      store.close();
    }
  });
});
