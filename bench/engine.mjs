// `npm run bench -- engine` (issue 13): Millrace's engine against GNU make and Snakemake, and the
// CLI against a bare `node -e 0`, whole processes side by side in one invocation, each a median
// of interleaved pairs; the CLI run as an installed `millrace` runs it (node bin/millrace.js).
// Then the same engine workloads in a warm process (submitRun + runner.run: what `serve` does),
// and a run record whose step logged 100,000 points, read through the CLI, HTTP and the store.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as W from './engine-workloads.mjs';
import { interleave, median, runTimed } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'millrace.js');
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PAIRS = Math.max(3, Number(process.env.MILLRACE_BENCH_PAIRS ?? 5));
const METRIC_POINTS = 100_000;
const base = join(tmpdir(), `millrace-bench-${process.pid}`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** `millrace run` to its end; checks what the record says (every step completed, or reused). */
function millraceRun(dir, file, { fresh, steps }) {
  const r = runTimed('node', [cli, 'run', file, '-w', dir, '--json', ...(fresh ? ['--regenerate-outputs'] : [])]);
  checkRecord(JSON.parse(r.stdout), { fresh, steps });
  return r;
}

function checkRecord(rec, { fresh, steps }) {
  const done = rec.steps.filter((s) => s.status === 'Completed').length;
  const reused = rec.steps.filter((s) => s.reusedFrom).length;
  if (rec.status !== 'Completed' || done !== steps || reused !== (fresh ? 0 : steps)) {
    throw new Error(`run ${rec.id}: ${rec.status}, ${done}/${steps} completed, ${reused} reused (expected ${fresh ? 'none' : 'all'})`);
  }
}

const make = (dir) => () => runTimed('make', ['-B', `-j${W.JOBS}`, '-s', '-C', dir]);
const snakemakeNoop = (dir) => () => runTimed('snakemake', ['--cores', String(W.JOBS), '--quiet'], { cwd: dir });
const bareNode = () => runTimed('node', ['-e', '0']);

function workspaces() {
  const chain = W.millraceWorkspace(cli, join(base, 'chain'));
  writeFileSync(join(chain, 'pipelines', 'chain.yml'), W.chainYaml());
  const fan = W.millraceWorkspace(cli, join(base, 'fan'));
  writeFileSync(join(fan, 'pipelines', 'fan.yml'), W.fanYaml());
  const makeChain = W.plainDir(join(base, 'make-chain'), Array.from({ length: W.N_CHAIN }, (_, i) => `s${i}`));
  writeFileSync(join(makeChain, 'Makefile'), W.chainMakefile());
  const makeFan = W.plainDir(join(base, 'make-fan'), [...Array.from({ length: W.N_FAN }, (_, i) => `s${i}`), 'join']);
  writeFileSync(join(makeFan, 'Makefile'), W.fanMakefile());
  const snake = W.plainDir(join(base, 'snake-chain'), []);
  writeFileSync(join(snake, 'Snakefile'), W.chainSnakefile());
  // A small workspace for `runs list`: the sample pipeline, run three times.
  const small = W.millraceWorkspace(cli, join(base, 'small'));
  for (let i = 0; i < 3; i++) execFileSync('node', [cli, 'run', 'pipelines/sample.yml', '-w', small], { stdio: 'ignore' });
  return { chain, fan, makeChain, makeFan, snake, small };
}

/** The run whose step logged METRIC_POINTS points (through the step's real metrics file). */
function metricsRun() {
  const dir = W.millraceWorkspace(cli, join(base, 'metrics'));
  writeFileSync(join(dir, 'pipelines', 'log.py'), W.metricsScript(METRIC_POINTS));
  writeFileSync(join(dir, 'pipelines', 'metrics.yml'), W.metricsYaml);
  execFileSync('node', [cli, 'run', 'pipelines/metrics.yml', '-w', dir], { stdio: 'ignore' });
  const { stdout } = runTimed('node', [cli, 'runs', 'list', '-n', '1', '--json', '-w', dir]);
  return { dir, runId: JSON.parse(stdout)[0].id };
}

async function cliRows(d, m) {
  const rows = [];
  const row = (name, vs, target, limit, r) => rows.push({ name, vs, target, met: r.ratio <= limit, ...r });
  // One untimed round first: page cache and the workspaces' databases warm, as for a user.
  millraceRun(d.chain, 'pipelines/chain.yml', { fresh: true, steps: W.N_CHAIN });
  make(d.makeChain)();
  row(`chain-${W.N_CHAIN}, fresh`, 'GNU make', '≤ 1.5× make', 1.5,
    await interleave(PAIRS, () => millraceRun(d.chain, 'pipelines/chain.yml', { fresh: true, steps: W.N_CHAIN }), make(d.makeChain)));
  millraceRun(d.fan, 'pipelines/fan.yml', { fresh: true, steps: W.N_FAN + 1 });
  row(`fan-out ${W.N_FAN} + join, fresh (max_concurrency ${W.JOBS}, make -j${W.JOBS})`, 'GNU make', '≤ 1.0× make', 1.0,
    await interleave(PAIRS, () => millraceRun(d.fan, 'pipelines/fan.yml', { fresh: true, steps: W.N_FAN + 1 }), make(d.makeFan)));
  if (has('snakemake')) {
    snakemakeNoop(d.snake)(); // builds everything once: what follows are no-ops
    row(`chain-${W.N_CHAIN} again, everything reused`, "Snakemake's no-op", '≤ 0.15× Snakemake', 0.15,
      await interleave(PAIRS, () => millraceRun(d.chain, 'pipelines/chain.yml', { fresh: false, steps: W.N_CHAIN }), snakemakeNoop(d.snake)));
  }
  row('`millrace runs list` on a small workspace', 'bare `node -e 0`', '≤ 2.5× bare node', 2.5,
    await interleave(PAIRS, () => runTimed('node', [cli, 'runs', 'list', '-w', d.small]), bareNode));
  const show = await interleave(PAIRS, () => runTimed('node', [cli, 'runs', 'show', m.runId, '--json', '-w', m.dir]), bareNode);
  rows.push({ name: `\`runs show --json\` of a run with ${METRIC_POINTS.toLocaleString('en')} points`, vs: 'bare `node -e 0`', target: '< 50 ms (beyond start-up)', met: show.aMs - show.bMs < 50, ...show });
  return rows;
}

// ---- warm process: the engine alone ----

async function engineRows(d) {
  const { Workspace } = await import('../dist/main/workspace/workspace.js');
  const { submitRun } = await import('../dist/main/executor/submit.js');
  const open = { chain: Workspace.open(d.chain), fan: Workspace.open(d.fan) };
  const engine = (ws, file, fresh, steps) => async () => {
    const t = performance.now();
    const { runId, runner } = submitRun(ws, join(ws.dir, 'pipelines', file), { trigger: { kind: 'cli' }, regenerateOutputs: fresh });
    await runner.run();
    const ms = performance.now() - t;
    checkRecord(ws.store.runs.get(runId), { fresh, steps });
    return { ms };
  };
  const chainFresh = engine(open.chain, 'chain.yml', true, W.N_CHAIN);
  const fanFresh = engine(open.fan, 'fan.yml', true, W.N_FAN + 1);
  const chainReuse = engine(open.chain, 'chain.yml', false, W.N_CHAIN);
  await chainFresh(); // warm: modules, the spawn helper, statement caches
  await fanFresh();
  await chainReuse();
  const rows = [
    { name: `chain-${W.N_CHAIN}, fresh`, vs: 'GNU make', limit: 1.5, ...(await interleave(PAIRS, chainFresh, make(d.makeChain))) },
    { name: `fan-out ${W.N_FAN} + join, fresh`, vs: 'GNU make', limit: 1.0, ...(await interleave(PAIRS, fanFresh, make(d.makeFan))) },
  ];
  if (has('snakemake')) rows.push({ name: `chain-${W.N_CHAIN} again, everything reused`, vs: "Snakemake's no-op", limit: 0.15, ...(await interleave(PAIRS, chainReuse, snakemakeNoop(d.snake))) });
  open.chain.close();
  open.fan.close();
  return rows;
}

// ---- the big run record: HTTP and the store ----

function get(url, token) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t, bytes }) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    }).on('error', reject).end();
  });
}

async function recordReads(m) {
  const { token } = JSON.parse(execFileSync('node', [cli, 'token', 'create', 'bench', '--json', '-w', m.dir], { encoding: 'utf8' }));
  const server = spawn('node', [cli, 'serve', '--port', '0', '--json', '-w', m.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => server.on('exit', r));
  let out = '';
  let err = '';
  server.stdout.on('data', (c) => (out += c));
  server.stderr.on('data', (c) => (err += c));
  let ready;
  try {
    while (!ready) {
      if (server.exitCode !== null) throw new Error(`millrace serve did not start: ${err}`);
      try {
        ready = JSON.parse(out);
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const url = `${ready.url}/api/v1/runs/${m.runId}`;
    await get(url, token);
    const http = [];
    for (let i = 0; i < 2 * PAIRS + 1; i++) http.push(await get(url, token));
    const { Workspace } = await import('../dist/main/workspace/workspace.js');
    const ws = Workspace.open(m.dir);
    const inProcess = [];
    for (let i = 0; i < 2 * PAIRS + 1; i++) {
      const t = performance.now();
      ws.store.runs.get(m.runId);
      inProcess.push(performance.now() - t);
    }
    ws.close();
    return { httpMs: median(http.map((h) => h.ms)), bytes: http[0].bytes, storeMs: median(inProcess) };
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
}

const s = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

export async function runEngineBench() {
  try {
    return await engineBench();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function engineBench() {
  console.log(`\n## Engine\n\n${PAIRS} interleaved pairs per row (medians; ratio: median of the per-pair ratios), load average at start ${load()}`);
  const d = workspaces();
  const m = metricsRun();
  const cliTable = await cliRows(d, m);
  console.log('\nWhole processes, the CLI as an installed `millrace` runs it (`node bin/millrace.js`):\n');
  console.log('| workload | millrace | compared with | its time | ratio | target | met? | millrace peak RSS |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of cliTable) {
    console.log(`| ${r.name} | ${s(r.aMs)} | ${r.vs} | ${s(r.bMs)} | ${r.ratio.toFixed(2)}× | ${r.target} | ${r.met ? 'yes' : 'no'} | ${r.aRssMiB?.toFixed(0) ?? '-'} MiB |`);
  }
  const rec = await recordReads(m);
  console.log(`\nThe run record of a run whose step logged ${METRIC_POINTS.toLocaleString('en')} points (target < 50 ms): \`GET /api/v1/runs/{id}\` ${s(rec.httpMs)} (${(rec.bytes / 1024).toFixed(1)} KiB, median of ${2 * PAIRS + 1}, against \`millrace serve\`), \`runs show --json\` ${s(cliTable.at(-1).aMs)} (${s(cliTable.at(-1).aMs - cliTable.at(-1).bMs)} beyond a bare node), the store's \`runs.get\` in a warm process ${s(rec.storeMs)}.`);
  const engine = await engineRows(d);
  console.log('\nThe engine alone in a warm process (`submitRun` + `runner.run()`, what `millrace serve` does), against the same whole processes:\n');
  console.log('| workload | engine | compared with | its time | ratio | target met? |');
  console.log('|---|---|---|---|---|---|');
  for (const r of engine) console.log(`| ${r.name} | ${s(r.aMs)} | ${r.vs} | ${s(r.bMs)} | ${r.ratio.toFixed(2)}× | ${r.ratio <= r.limit ? 'yes' : 'no'} (≤ ${r.limit}×) |`);
  console.log(`\nLoad average at the end: ${load()}`);
  return { cli: cliTable, record: rec, engine };
}

if (import.meta.url === `file://${process.argv[1]}`) await runEngineBench();
