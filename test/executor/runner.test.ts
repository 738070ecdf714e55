// The DAG executor (main/executor/runner.ts) with real child processes in a real temp workspace.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { submitRun } from '../../main/executor/submit.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { execConfig, runPipeline, sh, step, writePipeline } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace;
const setup = (maxConcurrency = 4) => {
  tmp = tempWorkspace(execConfig(maxConcurrency));
  ws = tmp.open();
};
afterEach(() => {
  ws?.close();
  tmp?.cleanup();
});

const ms = (iso: string | null) => {
  expect(iso).not.toBeNull();
  return Date.parse(iso!);
};

describe('DAG execution', () => {
  it('starts a step only after the producers of its inputs completed', async () => {
    setup(4);
    const file = writePipeline(tmp, 'diamond', {
      steps: {
        d: {
          type: 'command',
          inputs: { l: '${{steps.b.outputs.o}}', r: '${{steps.c.outputs.o}}' },
          outputs: { o: {} },
          command: sh('cat "$0/v" "$1/v" > "$2/v"', '${{inputs.l}}', '${{inputs.r}}', '${{outputs.o}}'),
        },
        b: { type: 'command', inputs: { i: '${{steps.a.outputs.o}}' }, outputs: { o: {} }, command: sh('sleep 0.3; { cat "$0/v"; echo b; } > "$1/v"', '${{inputs.i}}', '${{outputs.o}}') },
        c: { type: 'command', inputs: { i: '${{steps.a.outputs.o}}' }, outputs: { o: {} }, command: sh('{ cat "$0/v"; echo c; } > "$1/v"', '${{inputs.i}}', '${{outputs.o}}') },
        a: { type: 'command', outputs: { o: {} }, command: sh('sleep 0.3; echo a > "$0/v"', '${{outputs.o}}') },
      },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    expect(rec.status).toBe('Completed');
    for (const [up, down] of [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]) {
      expect(ms(step(rec, up).endedAt), `${up} ended before ${down} started`).toBeLessThanOrEqual(ms(step(rec, down).startedAt));
    }
    expect(readFileSync(join(step(rec, 'd').outputs.o, 'v'), 'utf8')).toBe('a\nb\na\nc\n');
    // The run record spans its steps.
    expect(ms(rec.startedAt)).toBeLessThanOrEqual(ms(step(rec, 'a').startedAt));
    expect(ms(rec.endedAt)).toBeGreaterThanOrEqual(ms(step(rec, 'd').endedAt));
  });

  it('runs independent steps in parallel, never more than max_concurrency at once', async () => {
    setup(2);
    const trace = join(tmp.dir, 'trace.log');
    const steps: Record<string, object> = {};
    for (const n of ['s1', 's2', 's3', 's4']) {
      steps[n] = { type: 'command', command: sh('echo "$(date +%s%N) S $1" >> "$0"; sleep 1; echo "$(date +%s%N) E $1" >> "$0"', trace, n) };
    }
    const file = writePipeline(tmp, 'par', { steps });
    const { status } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    const events = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split(' ')).map(([t, k, n]) => ({ t: BigInt(t), k, n }));
    expect(events).toHaveLength(8);
    events.sort((x, y) => (x.t < y.t ? -1 : x.t > y.t ? 1 : x.k === 'E' ? -1 : 1));
    let now = 0;
    let max = 0;
    for (const e of events) {
      now += e.k === 'S' ? 1 : -1;
      max = Math.max(max, now);
    }
    expect(max).toBe(2);
  });

  it('holds max_concurrency across runs driven by the same process', async () => {
    setup(2);
    const trace = join(tmp.dir, 'trace.log');
    const pipeline = (tag: string) =>
      writePipeline(tmp, `run_${tag}`, {
        steps: Object.fromEntries(
          ['x', 'y'].map((n) => [n, { type: 'command', command: sh('echo "$(date +%s%N) S"  >> "$0"; sleep 1; echo "$(date +%s%N) E" >> "$0"', trace, `${tag}${n}`) }]),
        ),
      });
    const runs = await Promise.all([runPipeline(ws, pipeline('a')), runPipeline(ws, pipeline('b'))]);
    expect(runs.map((r) => r.status)).toEqual(['Completed', 'Completed']);
    const events = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split(/\s+/)).map(([t, k]) => ({ t: BigInt(t), k }));
    expect(events).toHaveLength(8);
    events.sort((x, y) => (x.t < y.t ? -1 : x.t > y.t ? 1 : x.k === 'E' ? -1 : 1));
    let now = 0;
    let max = 0;
    for (const e of events) max = Math.max(max, (now += e.k === 'S' ? 1 : -1));
    expect(max).toBe(2);
  });

  it('passes data: the output folder of one step is the input of the next, as argument and env var', async () => {
    setup();
    const file = writePipeline(tmp, 'data', {
      parameters: { msg: { type: 'string', default: 'a b $HOME; echo no' } },
      steps: {
        produce: { type: 'command', outputs: { out: {} }, command: sh('printf hello > "$0/data.txt"', '${{outputs.out}}') },
        consume: {
          type: 'command',
          inputs: { inp: '${{steps.produce.outputs.out}}' },
          outputs: { res: { datastore: 'default' } },
          command: sh(
            'cat "$0/data.txt" > "$1/via_arg.txt"; cat "$MILLRACE_INPUT_INP/data.txt" > "$1/via_env.txt"; ' +
              'printf %s "$MILLRACE_INPUT_INP" > "$1/path.txt"; printf %s "$2" > "$1/msg.txt"; ' +
              'printf %s "$MILLRACE_OUTPUT_RES" > "$1/outvar.txt"; ' +
              'printf "%s\\n" "$MILLRACE_RUN_ID" "$MILLRACE_PARENT_RUN_ID" "$MILLRACE_EXPERIMENT" "$MILLRACE_WORKSPACE" "$AML_PARAMETER_msg" "$(pwd)" > "$1/env.txt"',
            '${{inputs.inp}}',
            '${{outputs.res}}',
            '${{parameters.msg}}',
          ),
        },
      },
    });
    const { status, rec, runId } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    const produced = step(rec, 'produce').outputs.out;
    expect(produced).toBe(join(tmp.dir, 'datastores', 'default', 'azureml', step(rec, 'produce').id, 'out'));
    const res = step(rec, 'consume').outputs.res;
    const read = (f: string) => readFileSync(join(res, f), 'utf8');
    expect(read('via_arg.txt')).toBe('hello');
    expect(read('via_env.txt')).toBe('hello');
    expect(read('path.txt')).toBe(produced);
    expect(read('outvar.txt')).toBe(res);
    // argv is never passed through a shell: the parameter arrives verbatim.
    expect(read('msg.txt')).toBe('a b $HOME; echo no');
    // Every step runs in its own working copy (AZUREML.md section 10.4d), gone once it ended.
    const wd = join(ws.runDir(runId), 'consume', 'wd');
    expect(read('env.txt').split('\n')).toEqual([step(rec, 'consume').id, runId, 'data', tmp.dir, 'a b $HOME; echo no', wd, '']);
    expect(existsSync(wd)).toBe(false);
  });

  it('orders steps by run_after without any data between them', async () => {
    setup();
    const marker = join(tmp.dir, 'first-done');
    const file = writePipeline(tmp, 'after', {
      steps: {
        second: { type: 'command', run_after: ['first'], command: sh('test -f "$0"', marker) },
        first: { type: 'command', command: sh('sleep 0.5; touch "$0"', marker) },
      },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    expect(ms(step(rec, 'first').endedAt)).toBeLessThanOrEqual(ms(step(rec, 'second').startedAt));
  });

  it('reports every status change through onEvent', async () => {
    setup();
    const file = writePipeline(tmp, 'ev', { steps: { a: { type: 'command', command: ['true'] } } });
    const { events, runId } = await runPipeline(ws, file);
    expect(events.filter((e) => e.type === 'step').map((e) => e.status)).toEqual(['Preparing', 'Queued', 'Running', 'Finalizing', 'Completed']);
    expect(events.filter((e) => e.type === 'run')).toEqual([
      { type: 'run', runId, status: 'Running' },
      { type: 'run', runId, status: 'Completed', error: null },
    ]);
  });
});

describe('failures', () => {
  it('retries a failing step and completes on the second attempt', async () => {
    setup();
    const counter = join(tmp.dir, 'attempts');
    const file = writePipeline(tmp, 'retry', {
      steps: {
        flaky: {
          type: 'command',
          retries: 2,
          command: sh('n=$(cat "$0" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$0"; echo "attempt $n"; [ "$n" -ge 2 ]', counter),
        },
      },
    });
    const { status, rec, runId } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    expect(readFileSync(counter, 'utf8').trim()).toBe('2');
    expect(step(rec, 'flaky')).toMatchObject({ status: 'Completed', attempt: 2, exitCode: 0, error: null });
    const log = readFileSync(join(ws.runDir(runId), 'flaky', 'std_log.txt'), 'utf8');
    expect(log).toContain('attempt 1 failed: exited with code 1; retrying');
    expect(log).toMatch(/attempt 1\n[\s\S]*attempt 2\n/);
  });

  // Regression: a retry used to pass `started_at: undefined`, which wiped the first start time.
  it('keeps the first attempt start time of a retried step (startedAt, durationMs)', async () => {
    setup();
    const counter = join(tmp.dir, 'attempts');
    const file = writePipeline(tmp, 'retry2', {
      steps: { flaky: { type: 'command', retries: 1, command: sh('n=$(cat "$0" 2>/dev/null || echo 0); echo $((n+1)) > "$0"; [ "$n" -ge 1 ] || { sleep 0.3; exit 1; }', counter) } },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    expect(step(rec, 'flaky').attempt).toBe(2);
    expect(step(rec, 'flaky').startedAt).not.toBeNull();
    // The first attempt alone took 0.3 s: the duration counts from its start.
    expect(step(rec, 'flaky').durationMs).toBeGreaterThanOrEqual(300);
  });

  it('fails the run when a step fails and never starts its dependents', async () => {
    setup();
    const marker = join(tmp.dir, 'b-ran');
    const file = writePipeline(tmp, 'fail', {
      steps: {
        a: { type: 'command', outputs: { o: {} }, command: sh('echo boom >&2; exit 3') },
        b: { type: 'command', inputs: { i: '${{steps.a.outputs.o}}' }, command: sh('touch "$0"', marker) },
        c: { type: 'command', run_after: ['b'], command: sh('touch "$0"', marker) },
      },
    });
    const { status, rec, runId } = await runPipeline(ws, file);
    expect(status).toBe('Failed');
    expect(rec.status).toBe('Failed');
    expect(rec.error).toBe("step 'a' failed: exited with code 3");
    expect(step(rec, 'a')).toMatchObject({ status: 'Failed', exitCode: 3, error: 'exited with code 3' });
    for (const s of ['b', 'c']) {
      // Never started, and terminal: Canceled, saying why.
      expect(step(rec, s).status).toBe('Canceled');
      expect(step(rec, s).error).toBe("not run: step 'a' failed");
    }
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(join(ws.runDir(runId), 'a', 'std_log.txt'), 'utf8')).toContain('boom');
  });

  it('with continue_on_step_failure runs the independent steps after a failure', async () => {
    setup(1); // one slot: `other` is still waiting when `bad` fails
    const marker = join(tmp.dir, 'other-ran');
    const file = writePipeline(tmp, 'cont', {
      continue_on_step_failure: true,
      steps: {
        bad: { type: 'command', outputs: { o: {} }, command: sh('exit 1') },
        needs_bad: { type: 'command', inputs: { i: '${{steps.bad.outputs.o}}' }, command: ['true'] },
        other: { type: 'command', command: sh('touch "$0"', marker) },
      },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Failed');
    expect(step(rec, 'bad').status).toBe('Failed');
    expect(step(rec, 'other').status).toBe('Completed');
    expect(ms(step(rec, 'bad').endedAt)).toBeLessThanOrEqual(ms(step(rec, 'other').startedAt));
    expect(step(rec, 'needs_bad')).toMatchObject({ status: 'Canceled', error: "not run: upstream step 'bad' did not complete" });
    expect(existsSync(marker)).toBe(true);
  });

  it('ends Failed when a step fails while an independent step waits for a free slot', async () => {
    setup(1);
    const marker = join(tmp.dir, 'waiting-ran');
    const file = writePipeline(tmp, 'queued', {
      steps: {
        bad: { type: 'command', command: sh('sleep 0.2; exit 1') },
        waiting: { type: 'command', command: sh('touch "$0"', marker) },
      },
    });
    const { runId, runner } = submitRun(ws, file, { trigger: { kind: 'cli' } });
    const outcome = await Promise.race([runner.run(), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    if (outcome === 'hung') runner.cancel(); // end the stuck run so nothing outlives the test
    expect(outcome).toBe('Failed');
    const rec = ws.store.runs.get(runId);
    expect(rec.status).toBe('Failed');
    expect(step(rec, 'waiting').status).not.toBe('Completed');
    expect(existsSync(marker)).toBe(false);
  });

  it('kills a step that exceeds its timeout and fails it', async () => {
    setup();
    const file = writePipeline(tmp, 'slow', { steps: { slow: { type: 'command', timeout: 1, command: ['sleep', '30'] } } });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Failed');
    // Killed, not waited for: the 30 s sleep ended by a signal.
    expect(step(rec, 'slow')).toMatchObject({ status: 'Failed', exitCode: null });
    expect(step(rec, 'slow').error).toMatch(/timed out after 1 s/);
    expect(rec.error).toMatch(/timed out/);
  });

  it('fails a step whose program does not exist with a clear error', async () => {
    setup();
    const file = writePipeline(tmp, 'noprog', { steps: { ghost: { type: 'command', command: ['millrace-no-such-program', '--x'] } } });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Failed');
    expect(step(rec, 'ghost').status).toBe('Failed');
    expect(step(rec, 'ghost').error).toMatch(/cannot start 'millrace-no-such-program': not found/);
  });

  it('rejects a python step whose script does not exist before creating a run', () => {
    setup();
    const file = writePipeline(tmp, 'noscript', { steps: { a: { type: 'python', script: 'missing.py' } } });
    expect(() => submitRun(ws, file, { trigger: { kind: 'cli' } })).toThrow(UserError);
    expect(() => submitRun(ws, file, { trigger: { kind: 'cli' } })).toThrow(/missing\.py does not exist/);
    expect(ws.store.runs.list()).toEqual([]);
  });
});

describe('output and metrics', () => {
  it('streams a 200 MB stdout flood to std_log.txt without buffering it in the executor', async () => {
    setup();
    const size = 200 * 1024 * 1024;
    const file = writePipeline(tmp, 'flood', {
      steps: {
        flood: {
          type: 'command',
          command: ['python3', '-c', `import sys\nb = b"x" * (1 << 20)\nfor _ in range(${size >> 20}): sys.stdout.buffer.write(b)`],
        },
      },
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let result;
    try {
      result = await runPipeline(ws, file);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(result.status).toBe('Completed');
    const logSize = statSync(join(ws.runDir(result.runId), 'flood', 'std_log.txt')).size;
    expect(logSize).toBeGreaterThanOrEqual(size);
    expect(logSize).toBeLessThan(size + 4096); // the data plus millrace's header line
    expect(peak - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('records metrics and tags appended to MILLRACE_METRICS_FILE, parent lines on the pipeline run', async () => {
    setup();
    const file = writePipeline(tmp, 'metrics', {
      steps: {
        m: {
          type: 'command',
          command: sh(
            `echo '{"name":"rows","value":3}' >> "$MILLRACE_METRICS_FILE"
             echo '{"name":"loss","value":1}' >> "$MILLRACE_METRICS_FILE"
             echo '{"name":"loss","value":0.5}' >> "$MILLRACE_METRICS_FILE"
             echo '{"name":"cols","kind":"list","value":["a","b"]}' >> "$MILLRACE_METRICS_FILE"
             echo '{"name":"best","value":0.75,"parent":true}' >> "$MILLRACE_METRICS_FILE"
             echo '{"name":"owner","kind":"tag","value":"ana","parent":true}' >> "$MILLRACE_METRICS_FILE"
             echo 'this is not json' >> "$MILLRACE_METRICS_FILE"
             printf '{"name":"last","value":7}' >> "$MILLRACE_METRICS_FILE"`,
          ),
        },
      },
    });
    const { status, rec, runId } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    // A series comes as its summary (the points: runs/metric-series), a value logged once as itself.
    expect(step(rec, 'm').metrics).toEqual({ rows: 3, loss: { count: 2, last: 0.5, min: 0.5, max: 1 }, cols: ['a', 'b'], last: 7 });
    expect(rec.metrics).toEqual({ best: 0.75 });
    expect(rec.tags).toEqual({ owner: 'ana' });
    // A bad line is reported in the step's log, not silently dropped.
    expect(readFileSync(join(ws.runDir(runId), 'm', 'std_log.txt'), 'utf8')).toContain('metrics file line 7: not valid JSON');
  });

  it('keeps an unterminated last metrics line that was already seen while the step ran', async () => {
    setup();
    // The executor reads the file every 250 ms while the step runs: the sleep lets it see the
    // line (without its newline) before the step ends.
    const file = writePipeline(tmp, 'lastline', {
      steps: { m: { type: 'command', command: sh(`printf '{"name":"final","value":42}' >> "$MILLRACE_METRICS_FILE"; sleep 0.8`) } },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Completed');
    expect(step(rec, 'm').metrics).toEqual({ final: 42 });
  });

  it('records what the Python run context logs, on the step and on its parent', async () => {
    setup();
    tmp.write(
      'pipelines/ctx.py',
      [
        'import os, sys',
        'from millrace import Run',
        'run = Run.get_context()',
        'assert not run.offline, "expected a live run"',
        'run.log("accuracy", 0.93)',
        'for v in (0.5, 0.25): run.log("loss", v)',
        'run.log_list("sizes", [1, 2, 3])',
        'run.parent.log("best_accuracy", 0.93)',
        'raw = run.input_datasets["raw"].path',
        'out = run.output_datasets["model"].path',
        'with open(os.path.join(out, "model.txt"), "w") as f:',
        '    f.write("%s\\n%s\\n%s\\n" % (run.id, raw, sys.argv[1]))',
        '',
      ].join('\n'),
    );
    const file = writePipeline(tmp, 'ctx', {
      parameters: { rate: { type: 'number', default: 0.1 } },
      steps: {
        train: {
          type: 'python',
          script: 'ctx.py',
          arguments: ['${{parameters.rate}}'],
          inputs: { raw: { datastore: 'default', path: 'raw' } },
          outputs: { model: {} },
        },
      },
    });
    const { status, rec, runId } = await runPipeline(ws, file, { parameters: { rate: '0.5' } });
    const log = readFileSync(join(ws.runDir(runId), 'train', 'std_log.txt'), 'utf8');
    expect(status, log).toBe('Completed');
    const train = step(rec, 'train');
    expect(train.metrics).toEqual({ accuracy: 0.93, loss: { count: 2, last: 0.25, min: 0.25, max: 0.5 }, sizes: [1, 2, 3] });
    expect(rec.metrics).toEqual({ best_accuracy: 0.93 });
    expect(rec.parameters).toEqual({ rate: 0.5 });
    expect(readFileSync(join(train.outputs.model, 'model.txt'), 'utf8')).toBe(`${train.id}\n${join(tmp.dir, 'datastores', 'default', 'raw')}\n0.5\n`);
  });
});
