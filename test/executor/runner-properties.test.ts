// Property-based tests of the runner (issue 9): random DAGs of real `sh` steps with data and
// run_after edges, failures, flaky steps with retries, timeouts, allow_reuse, a second run after
// some inputs changed, and cancels at random moments. Each step appends to one process log, so
// the checks see what really ran. A fixed number of cases in CI; a soak with
// MILLRACE_PROPERTY_RUNS=2000 (and MILLRACE_PROPERTY_SEED=<seed> to replay a failure).
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isTerminal } from '../../shared/constants.js';
import type { RunRecord } from '../../shared/types.js';
import { submitRun } from '../../main/executor/submit.js';
import { COALESCE_MS } from '../../main/executor/run-writer.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { tempWorkspace } from '../helpers/workspace.js';

const RUNS = Number(process.env.MILLRACE_PROPERTY_RUNS ?? 40);
const SEED = process.env.MILLRACE_PROPERTY_SEED ? Number(process.env.MILLRACE_PROPERTY_SEED) : undefined;

type Behaviour = 'ok' | 'fail' | 'flaky' | 'timeout';
interface StepGen {
  behaviour: Behaviour;
  dataDeps: number[];
  afterDeps: number[];
  ext: boolean;
  allowReuse: boolean;
  retries: number;
}
interface Case {
  steps: StepGen[];
  maxConcurrency: number;
  continueOnFailure: boolean;
  /** ext inputs changed before the second run (indices into steps). */
  changed: number[];
  /** null: no cancel; else [run (1 or 2), delay in ms, through the store flag?] */
  cancel: [number, number, boolean] | null;
}

const stepArb = (i: number): fc.Arbitrary<StepGen> =>
  fc.record({
    behaviour: fc.constantFrom<Behaviour>('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'fail', 'flaky', 'timeout'),
    dataDeps: i ? fc.uniqueArray(fc.nat(i - 1), { maxLength: 3 }) : fc.constant([]),
    afterDeps: i ? fc.uniqueArray(fc.nat(i - 1), { maxLength: 2 }) : fc.constant([]),
    ext: fc.boolean(),
    allowReuse: fc.constantFrom(true, true, true, true, false),
    retries: fc.constantFrom(0, 0, 1),
  });

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    steps: fc.tuple(...Array.from({ length: n }, (_, i) => stepArb(i))),
    maxConcurrency: fc.integer({ min: 1, max: 4 }),
    continueOnFailure: fc.boolean(),
    changed: fc.uniqueArray(fc.nat(n - 1), { maxLength: Math.min(n, 5) }),
    cancel: fc.option(fc.tuple(fc.constantFrom(1, 2), fc.integer({ min: 0, max: 400 }), fc.boolean()), { freq: 3 }),
  }),
);

// $0 log, $1 step id, $2 behaviour, $3 attempts folder, $4 output folder, then input paths.
const SCRIPT = [
  'log=$0; id=$1; b=$2; att=$3; out=$4; shift 4',
  'echo "start $MILLRACE_RUN_ID" >> "$log"',
  ': > "$out/v.tmp"',
  'for f in "$@"; do if [ -d "$f" ]; then cat "$f/v" >> "$out/v.tmp"; else cat "$f" >> "$out/v.tmp"; fi; done',
  'echo "$id" >> "$out/v.tmp"; mv "$out/v.tmp" "$out/v"',
  'code=0',
  'case $b in',
  '  fail) code=3;;',
  '  flaky) n=$(cat "$att/$MILLRACE_RUN_ID" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$att/$MILLRACE_RUN_ID"; [ $n -ge 2 ] || code=4;;',
  '  timeout) sleep 5;;',
  'esac',
  'echo "end $MILLRACE_RUN_ID" >> "$log"',
  'exit $code',
].join('\n');

function pipelineOf(c: Case, dir: string): object {
  const steps: Record<string, object> = {};
  c.steps.forEach((s, i) => {
    const inputs: Record<string, unknown> = {};
    const args: string[] = [];
    for (const d of s.dataDeps) {
      inputs[`d${d}`] = `\${{steps.s${d}.outputs.o}}`;
      args.push(`\${{inputs.d${d}}}`);
    }
    if (s.ext) {
      inputs.ext = { datastore: 'default', path: `ext/e${i}.txt` };
      args.push('${{inputs.ext}}');
    }
    steps[`s${i}`] = {
      type: 'command',
      command: ['sh', '-c', SCRIPT, join(dir, 'proc.log'), `s${i}`, s.behaviour, join(dir, 'attempts'), '${{outputs.o}}', ...args],
      ...(Object.keys(inputs).length ? { inputs } : {}),
      outputs: { o: {} },
      ...(s.afterDeps.length ? { run_after: s.afterDeps.map((d) => `s${d}`) } : {}),
      ...(s.allowReuse ? {} : { allow_reuse: false }),
      ...(s.retries || s.behaviour === 'flaky' ? { retries: Math.max(s.retries, s.behaviour === 'flaky' ? 1 : 0) } : {}),
      ...(s.behaviour === 'timeout' ? { timeout: 0.3 } : {}),
    };
  });
  return { name: 'prop', continue_on_step_failure: c.continueOnFailure, steps };
}

/** Runs the pipeline once, canceling at `cancelAfter` ms if given; returns the record, the rows right after the end, and the process log lines it added. */
async function runOnce(ws: Workspace, file: string, dir: string, cancel: [number, boolean] | null) {
  const logFile = join(dir, 'proc.log');
  const before = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length;
  const { runId, runner } = submitRun(ws, file, { trigger: { kind: 'cli' } });
  let timer: NodeJS.Timeout | undefined;
  if (cancel) {
    timer = setTimeout(() => (cancel[1] ? ws.store.runs.requestCancel(runId) : runner.cancel()), cancel[0]);
  }
  const status = await runner.run();
  clearTimeout(timer);
  const rows = JSON.stringify([ws.store.runs.state(runId), ws.store.runs.stepStates(runId)]);
  // Nothing may be written once the run is reported ended.
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 2 * COALESCE_MS)); // past any coalesced write's window
  expect(JSON.stringify([ws.store.runs.state(runId), ws.store.runs.stepStates(runId)]), 'rows changed after the end').toBe(rows);
  const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(before);
  return { status, rec: ws.store.runs.get(runId), lines };
}

/** Processes still alive whose command line names this case's folder. */
function survivors(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (cmd.includes(dir) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

function checkRun(c: Case, rec: RunRecord, lines: string[], canceled: boolean, reuseExpect?: (i: number) => boolean | undefined) {
  const st = (i: number) => rec.steps.find((x) => x.name === `s${i}`)!;
  expect(isTerminal(rec.status), `run ended ${rec.status}`).toBe(true);
  for (const s of rec.steps) expect(isTerminal(s.status), `step ${s.name} ended ${s.status}`).toBe(true);
  const starts = new Map<string, number>();
  const firstStart = new Map<string, number>();
  const lastEnd = new Map<string, number>();
  lines.forEach((l, pos) => {
    const [kind, id] = l.split(' ');
    if (kind === 'start') {
      starts.set(id, (starts.get(id) ?? 0) + 1);
      if (!firstStart.has(id)) firstStart.set(id, pos);
    } else lastEnd.set(id, pos);
  });
  const anyFailed = rec.steps.some((s) => s.status === 'Failed');
  c.steps.forEach((g, i) => {
    const s = st(i);
    const deps = [...new Set([...g.dataDeps, ...g.afterDeps])].map(st);
    const started = starts.get(s.id) ?? 0;
    // Every attempt's process starts at most once (exactly once unless a cancel killed it first).
    if (canceled) expect(started, `${s.name}: processes`).toBeLessThanOrEqual(s.attempt);
    else if (!s.reusedFrom) expect(started, `${s.name}: processes vs attempts`).toBe(s.attempt);
    if (s.reusedFrom) expect(started, `${s.name} was reused yet ran`).toBe(0);
    // A step starts only after every upstream step ended Completed.
    if (started || s.reusedFrom || s.status === 'Completed' || s.status === 'Failed') {
      for (const d of deps) {
        expect(d.status, `${s.name} ran although upstream ${d.name} is ${d.status}`).toBe('Completed');
        if (started && lastEnd.has(d.id)) expect(lastEnd.get(d.id)!, `${d.name} ended before ${s.name} started`).toBeLessThan(firstStart.get(s.id)!);
      }
    }
    if (s.status === 'Canceled') expect(s.error, `${s.name}`).toMatch(/^(canceled|not run: )/);
    if (!canceled) {
      const depsOk = deps.every((d) => d.status === 'Completed');
      if (s.status === 'Canceled') expect(anyFailed, `${s.name} Canceled without a failure`).toBe(true);
      if (s.status === 'Failed') expect(['fail', 'timeout']).toContain(g.behaviour);
      if (s.status === 'Completed' && !s.reusedFrom) expect(['ok', 'flaky']).toContain(g.behaviour);
      if (c.continueOnFailure || !anyFailed) {
        // Deterministic: each step's end follows from its deps and its behaviour.
        const expected = !depsOk ? 'Canceled' : g.behaviour === 'fail' || g.behaviour === 'timeout' ? 'Failed' : 'Completed';
        if (!s.reusedFrom || expected === 'Completed') expect(s.status, `${s.name} (${g.behaviour})`).toBe(expected);
      }
      const wantReuse = reuseExpect?.(i);
      if (wantReuse !== undefined && depsOk && s.status !== 'Canceled') expect(!!s.reusedFrom, `${s.name} reused?`).toBe(wantReuse);
    }
  });
  // Never more processes at once than the compute target's slots (measured from the log, which
  // can only undercount; killed processes write no end line, so those runs are not measured).
  if (!canceled && !c.steps.some((g) => g.behaviour === 'timeout')) {
    let now = 0;
    for (const l of lines) {
      now += l.startsWith('start') ? 1 : -1;
      expect(now, 'processes at once').toBeLessThanOrEqual(c.maxConcurrency);
    }
  }
  if (!canceled) expect(rec.status).toBe(rec.steps.every((s) => s.status === 'Completed') ? 'Completed' : 'Failed');
}

describe('runner properties (random DAGs, real processes)', () => {
  it(`holds its invariants over ${RUNS} random pipelines, each run twice`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const tmp = tempWorkspace(stringify({ compute: { local: { type: 'local', max_concurrency: c.maxConcurrency } }, executor: { kill_grace_ms: 200 } }));
        const ws = tmp.open();
        try {
          mkdirSync(join(tmp.dir, 'attempts'));
          writeFileSync(join(tmp.dir, 'proc.log'), '');
          mkdirSync(join(tmp.dir, 'datastores', 'default', 'ext'), { recursive: true });
          c.steps.forEach((_, i) => writeFileSync(join(tmp.dir, 'datastores', 'default', 'ext', `e${i}.txt`), `e${i}\n`));
          const file = tmp.write('pipelines/prop.yml', stringify(pipelineOf(c, tmp.dir), { lineWidth: 0 }));
          const cancelIn = (run: number) => (c.cancel && c.cancel[0] === run ? ([c.cancel[1], c.cancel[2]] as [number, boolean]) : null);

          const one = await runOnce(ws, file, tmp.dir, cancelIn(1));
          const canceled1 = one.status === 'Canceled';
          checkRun(c, one.rec, one.lines, !!cancelIn(1));
          expect(survivors(tmp.dir), 'processes left after run 1').toEqual([]);

          for (const i of c.changed) writeFileSync(join(tmp.dir, 'datastores', 'default', 'ext', `e${i}.txt`), `changed e${i}\n`);
          const changed: boolean[] = [];
          c.steps.forEach((g, i) => (changed[i] = (g.ext && c.changed.includes(i)) || g.dataDeps.some((d) => changed[d])));
          // Run 2 reuses exactly the steps that completed in run 1 and whose key did not change.
          const reuse = (i: number) =>
            canceled1 ? undefined : c.steps[i].allowReuse && !changed[i] && one.rec.steps.find((x) => x.name === `s${i}`)!.status === 'Completed';
          const two = await runOnce(ws, file, tmp.dir, cancelIn(2));
          checkRun(c, two.rec, two.lines, !!cancelIn(2), reuse);
          expect(survivors(tmp.dir), 'processes left after run 2').toEqual([]);
        } finally {
          ws.close();
          tmp.cleanup();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, Math.max(120_000, RUNS * 30_000));
});
