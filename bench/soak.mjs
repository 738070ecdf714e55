// `npm run soak` (not in CI): kill -9 millrace processes at random and targeted moments, recover
// after each kill, and count what recovery left wrong: stuck runs (unfinished with no live owner),
// orphaned processes (still carrying a run's MILLRACE_PARENT_RUN_ID) and failed SQLite
// integrity checks. All three should be 0.
//
//   npm run soak [-- --iterations 200] [--seed N] [--mode random|start|end|final|group|helper] [--keep]
//
// It drives only the CLI (`node bin/millrace.js run ...`), so it holds whatever the engine's
// inside looks like. Modes, picked at random per iteration:
//   random   the engine, at a random delay after `millrace run` starts (3 in 4: after its run
//            is recorded)
//   start    the engine, by a step as its very first act (before its pid can be committed)
//   end      the engine, by a step as its last act
//   final    the engine, 0.1-0.4 s after a step ended (while its 3000 outputs are hashed: Finalizing)
//   group    the engine and its spawn helper together, at a random delay
//   helper   the spawn helper alone, at a random delay (the run must still end by itself)
// A fifth of the engine kills run with MILLRACE_SPAWNER=node (no helper).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'millrace.js');
const helperScript = join(root, 'main', 'executor', 'spawner.py');
const { values: args } = parseArgs({ options: { iterations: { type: 'string', default: '200' }, seed: { type: 'string' }, mode: { type: 'string' }, keep: { type: 'boolean' } } });
const iterations = Number(args.iterations);
const seed = Number(args.seed ?? Date.now() % 100000);

// mulberry32: a seeded generator, so that a failing sequence can be replayed with --seed.
let state = seed >>> 0;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- the workspace and its pipeline: prep -> (left, right) -> join, every step with outputs,
// a process in its group and one that left it (setsid), all rerun each time (allow_reuse: false).
const ws = mkdtempSync(join(tmpdir(), 'millrace-soak-'));
execFileSync(process.execPath, [cli, 'init', ws], { stdio: 'ignore' });
writeFileSync(join(ws, 'millrace.yml'), stringify({ compute: { local: { type: 'local', max_concurrency: 2 } }, executor: { kill_grace_ms: 300 } }));
const enginePidFile = join(ws, 'engine.pid');
const STEP = [
  'step=$0; at=$1; ef=$2; out=$3',
  'kill_engine() { read e < "$ef" && kill -9 "$e"; }',
  '[ "$at" = "$step:start" ] && kill_engine',
  'setsid sleep 300 & sleep 300 &',
  // Many output files when the kill is meant for Finalizing, so that hashing them takes a while.
  'n=40; [ "$at" = "$step:final" ] && n=3000',
  'i=0; while [ $i -lt $n ]; do echo "$step $i" > "$out/f$i"; i=$((i+1)); done',
  'sleep 0.15',
  // A killer without the run's markers, out of the step's group before the step ends (it says
  // so with a file), so that the step's own end does not take it along.
  `[ "$at" = "$step:final" ] && { env -u MILLRACE_RUN_ID -u MILLRACE_PARENT_RUN_ID setsid sh -c 'echo > "$1"; sleep "0.$2"; read e < "$0"; kill -9 "$e"' "$ef" "$out/../killer" $(($$ % 4 + 1)) & ` +
    'while [ ! -e "$out/../killer" ]; do sleep 0.001; done; }',
  '[ "$at" = "$step:end" ] && kill_engine',
  'exit 0',
].join('\n');
const step = (id, inputs = {}) => ({
  type: 'command',
  allow_reuse: false,
  inputs,
  outputs: { out: { datastore: 'default' } },
  command: ['sh', '-c', STEP, id, '${{parameters.kill_at}}', '${{parameters.engine_file}}', '${{outputs.out}}'],
});
const STEPS = ['prep', 'left', 'right', 'join'];
writeFileSync(join(ws, 'pipelines', 'soak.yml'), stringify({
  name: 'soak',
  parameters: { kill_at: { type: 'string', default: 'none' }, engine_file: { type: 'string', default: '' } },
  steps: {
    prep: step('prep'),
    left: step('left', { i: '${{steps.prep.outputs.out}}' }),
    right: step('right', { i: '${{steps.prep.outputs.out}}' }),
    join: step('join', { l: '${{steps.left.outputs.out}}', r: '${{steps.right.outputs.out}}' }),
  },
}, { lineWidth: 0 }));

// --- looking at processes, independently of the code under test
function procs() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      out.push({ pid: Number(name), ppid: Number(rest[1]), pgrp: Number(rest[2]), env: () => readFileSync(`/proc/${name}/environ`, 'latin1').split('\0'), cmd: () => readFileSync(`/proc/${name}/cmdline`, 'latin1') });
    } catch {
      /* gone */
    }
  }
  return out;
}
const runIdOf = (p) => {
  try {
    return p.env().find((e) => e.startsWith('MILLRACE_PARENT_RUN_ID='))?.slice(23);
  } catch {
    return undefined;
  }
};
const isHelper = (p) => {
  try {
    return p.cmd().includes(helperScript);
  } catch {
    return false;
  }
};

const TERMINAL = "('Completed', 'Failed', 'Canceled')";
function readDb(fn) {
  const db = new Database(join(ws, 'millrace.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const totals = { kills: 0, stuck: 0, orphans: 0, integrity: 0, strayHelpers: 0, recovered: 0, noPidCommitted: 0, timeouts: 0, noRun: 0 };
/** Targeted kills: the target step's status as committed when its engine died. */
const atKill = {};
const countRuns = () => readDb((db) => db.prepare("SELECT count(*) FROM runs WHERE kind = 'pipeline'").pluck().get());
const byMode = {};
const statuses = {};
const t0 = Date.now();

for (let it = 1; it <= iterations; it++) {
  const mode = args.mode ?? pick(['random', 'random', 'random', 'start', 'start', 'end', 'final', 'final', 'group', 'helper']);
  const target = pick(STEPS);
  const env = { ...process.env };
  if (mode !== 'helper' && rand() < 0.2) env.MILLRACE_SPAWNER = 'node';
  const killAt = ['start', 'end', 'final'].includes(mode) ? `${target}:${mode}` : 'none';
  rmSync(enginePidFile, { force: true });
  const runsBefore = countRuns();
  const engine = spawn(process.execPath, [cli, 'run', 'pipelines/soak.yml', '-w', ws, '-p', `kill_at=${killAt}`, '-p', `engine_file=${enginePidFile}`], { env, stdio: 'ignore', detached: true });
  writeFileSync(enginePidFile, `${engine.pid}\n`);
  const exited = new Promise((r) => engine.once('exit', (code, signal) => r({ code, signal })));
  if (mode === 'random' || mode === 'group') {
    if (rand() < 0.75) {
      // Most kills should hit a recorded run: wait for it (the CLI's start-up varies with load).
      for (let i = 0; i < 500 && countRuns() === runsBefore; i++) await sleep(10);
      await sleep(rand() * 1500);
    } else {
      await sleep(rand() * 1200);
    }
    try {
      process.kill(mode === 'group' ? -engine.pid : engine.pid, 'SIGKILL');
    } catch {
      /* already ended */
    }
  } else if (mode === 'helper') {
    await sleep(300 + rand() * 1500);
    const h = procs().find((p) => p.ppid === engine.pid && isHelper(p));
    if (h) process.kill(h.pid, 'SIGKILL');
  }
  let timer;
  const limit = new Promise((r) => (timer = setTimeout(() => r('timeout'), 60_000)));
  const how = await Promise.race([exited, limit]);
  clearTimeout(timer);
  if (how === 'timeout') {
    totals.timeouts++;
    process.kill(-engine.pid, 'SIGKILL');
    await exited;
  }
  if (how !== 'timeout' && how.signal === 'SIGKILL') totals.kills++;
  const created = countRuns() > runsBefore;
  if (!created) totals.noRun++;
  // What the store held at the moment of the kill (committed writes only), before recovery.
  readDb((db) => {
    const run = db.prepare("SELECT id FROM runs WHERE kind = 'pipeline' ORDER BY created_at DESC, id DESC LIMIT 1").get();
    if (!run || !created) return;
    const steps = db.prepare('SELECT name, status, pid FROM runs WHERE parent_id = ?').all(run.id);
    if (process.env.SOAK_VERBOSE) console.log(`  at the kill: ${steps.map((s) => `${s.status}${s.pid ? ` pid ${s.pid}` : ""}`).join(", ")}`);
    if (killAt !== 'none') {
      const t = steps.find((s) => s.name === target);
      const key = `${mode}: ${t.status}${t.status === 'Running' && t.pid == null ? ' (no pid)' : ''}`;
      atKill[key] = (atKill[key] ?? 0) + 1;
    }
    const runningIds = new Set(procs().map(runIdOf).filter(Boolean));
    if (runningIds.has(run.id) && !steps.some((s) => s.pid != null)) totals.noPidCommitted++;
  });
  // Recovery: any command that opens the workspace.
  const rec = spawnSync(process.execPath, [cli, 'runs', 'list', '-w', ws, '-n', '1'], { encoding: 'utf8' });
  const m = /Recovered (\d+) run/.exec(rec.stderr);
  if (m) totals.recovered += Number(m[1]);
  // Orphans: anything still carrying one of this workspace's run ids once SIGKILLs have landed.
  const ids = new Set(readDb((db) => db.prepare("SELECT id FROM runs WHERE kind = 'pipeline'").pluck().all()));
  let left = [];
  for (let wait = 0; wait < 40; wait++) {
    left = procs().filter((p) => ids.has(runIdOf(p)));
    if (!left.length) break;
    await sleep(50);
  }
  // A helper whose engine died leaves on its own (stdin closed); one still there after 2 s is stray.
  let stray = [];
  for (let wait = 0; wait < 40; wait++) {
    stray = procs().filter((p) => isHelper(p) && p.ppid === 1);
    if (!stray.length) break;
    await sleep(50);
  }
  for (const p of [...left, ...stray]) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  const stuck = readDb((db) => db.prepare(`SELECT id, status FROM runs WHERE kind = 'pipeline' AND status NOT IN ${TERMINAL}`).all());
  const ok = readDb((db) => db.pragma('integrity_check', { simple: true }));
  const last = created ? readDb((db) => db.prepare("SELECT status FROM runs WHERE kind = 'pipeline' ORDER BY created_at DESC, id DESC LIMIT 1").pluck().get()) : 'not recorded';
  statuses[last] = (statuses[last] ?? 0) + 1;
  totals.orphans += left.length;
  totals.strayHelpers += stray.length;
  totals.stuck += stuck.length;
  if (ok !== 'ok') totals.integrity++;
  byMode[mode] = (byMode[mode] ?? 0) + 1;
  const bad = left.length || stuck.length || ok !== 'ok' || stray.length || how === 'timeout';
  if (bad || it % 20 === 0 || process.env.SOAK_VERBOSE) {
    console.log(`[${it}/${iterations}] ${((Date.now() - t0) / 1000).toFixed(1)}s ${how.signal ?? how.code ?? how} ${mode}${killAt !== 'none' ? ` ${killAt}` : ''}${env.MILLRACE_SPAWNER ? ' (node spawn)' : ''}: run ${last}` +
      `${left.length ? `, ORPHANS ${left.map((p) => p.pid).join(' ')}` : ''}${stuck.length ? `, STUCK ${stuck.map((r) => `${r.id} ${r.status}`).join(' ')}` : ''}` +
      `${ok !== 'ok' ? `, INTEGRITY ${ok}` : ''}${stray.length ? `, STRAY HELPERS ${stray.length}` : ''}${how === 'timeout' ? ', TIMEOUT' : ''}`);
  }
  // A stuck run would be reported again on every later iteration: end it here once counted.
  if (stuck.length) spawnSync(process.execPath, [cli, 'runs', 'cancel', stuck[0].id, '-w', ws], { stdio: 'ignore' });
}

const secs = ((Date.now() - t0) / 1000).toFixed(0);
console.log(`\nsoak: ${iterations} iterations in ${secs} s (seed ${seed}), workspace ${args.keep ? ws : '(removed)'}`);
console.log(`modes: ${Object.entries(byMode).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`millrace processes killed -9: ${totals.kills} engines (plus ${byMode.helper ?? 0} lone spawn helpers); runs recovered: ${totals.recovered}`);
console.log(`runs, as they ended: ${Object.entries(statuses).map(([k, v]) => `${k} ${v}`).join(', ')} ("not recorded": killed before the run was created)`);
console.log(`kills that landed with a step's processes running and no step pid committed: ${totals.noPidCommitted}`);
console.log(`targeted kills, the target step as committed at the kill: ${Object.entries(atKill).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`stuck runs: ${totals.stuck}`);
console.log(`orphaned processes: ${totals.orphans}`);
console.log(`integrity_check failures: ${totals.integrity}`);
console.log(`stray spawn helpers: ${totals.strayHelpers}; runs that did not end within 60 s: ${totals.timeouts}`);
if (!args.keep) rmSync(ws, { recursive: true, force: true });
process.exitCode = totals.stuck || totals.orphans || totals.integrity || totals.timeouts ? 1 : 0;
