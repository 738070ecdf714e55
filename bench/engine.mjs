// Engine benchmarks (issue: Engine): chain-200, fan-500 (+ join), full-reuse rerun of the chain,
// 100,000 metric points. Compared, in the same invocation, with GNU make and snakemake when installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'millrace.js');
const cores = availableParallelism();
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function time(fn) {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function workspace(name) {
  const dir = join(tmpdir(), `millrace-bench-${process.pid}`, name);
  rmSync(dir, { recursive: true, force: true });
  execFileSync('node', [cli, 'init', dir], { stdio: 'ignore' });
  writeFileSync(join(dir, 'millrace.yml'), `compute:\n  local: { type: local, max_concurrency: ${cores} }\n`);
  return dir;
}

const step = (i, inputs) =>
  `  s${i}:\n    type: command\n    command: [sh, -c, 'echo ${i} > "$0/x"', "\${{outputs.out}}"]\n` +
  (inputs.length ? `    inputs:\n${inputs.map((d, k) => `      in${k}: \${{steps.s${d}.outputs.out}}\n`).join('')}` : '') +
  `    outputs:\n      out: { datastore: default }\n`;

function chainYaml(n) {
  let y = 'name: chain\nsteps:\n';
  for (let i = 0; i < n; i++) y += step(i, i ? [i - 1] : []);
  return y;
}
function fanYaml(n) {
  let y = 'name: fan\nsteps:\n';
  for (let i = 0; i < n; i++) y += step(i, []);
  y += `  join:\n    type: command\n    command: [sh, -c, 'echo done > "$0/x"', "\${{outputs.out}}"]\n    run_after: [${Array.from({ length: n }, (_, i) => `s${i}`).join(', ')}]\n    outputs:\n      out: { datastore: default }\n`;
  return y;
}

function millraceRun(dir, file, extra = []) {
  const r = spawnSync('node', [cli, 'run', file, '-w', dir, '--json', ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`millrace run failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout);
}

function makeDir(name, targets) {
  const dir = join(tmpdir(), `millrace-bench-${process.pid}`, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const t of targets) mkdirSync(join(dir, 'out', t), { recursive: true });
  return dir;
}
function chainMakefile(n) {
  let m = `all: out/s${n - 1}/x\n`;
  for (let i = 0; i < n; i++) m += `out/s${i}/x:${i ? ` out/s${i - 1}/x` : ''}\n\t@echo ${i} > $@\n`;
  return m;
}
function fanMakefile(n) {
  const xs = Array.from({ length: n }, (_, i) => `out/s${i}/x`);
  let m = `all: out/join/x\nout/join/x: ${xs.join(' ')}\n\t@echo done > $@\n`;
  for (let i = 0; i < n; i++) m += `out/s${i}/x:\n\t@echo ${i} > $@\n`;
  return m;
}
function chainSnakefile(n) {
  let s = `rule all:\n    input: "out/s${n - 1}/x"\n`;
  for (let i = 0; i < n; i++) s += `rule s${i}:\n${i ? `    input: "out/s${i - 1}/x"\n` : ''}    output: "out/s${i}/x"\n    shell: "echo ${i} > {output}"\n`;
  return s;
}

export function runEngineBench(report) {
  const N_CHAIN = 200;
  const N_FAN = 500;
  const reps = 3;

  // --- chain-200
  const wsChain = workspace('chain');
  writeFileSync(join(wsChain, 'pipelines', 'chain.yml'), chainYaml(N_CHAIN));
  const chainTimes = [];
  for (let r = 0; r < reps; r++) chainTimes.push(time(() => millraceRun(wsChain, 'pipelines/chain.yml', ['--regenerate-outputs'])));
  // --- full-reuse rerun of the chain
  const reuseTimes = [];
  for (let r = 0; r < reps; r++) {
    let rec;
    reuseTimes.push(time(() => (rec = millraceRun(wsChain, 'pipelines/chain.yml'))));
    const reused = rec.steps.filter((s) => s.reusedFrom).length;
    if (reused !== N_CHAIN) throw new Error(`expected ${N_CHAIN} reused steps, got ${reused}`);
  }
  // --- fan-500 + join
  const wsFan = workspace('fan');
  writeFileSync(join(wsFan, 'pipelines', 'fan.yml'), fanYaml(N_FAN));
  const fanTimes = [];
  for (let r = 0; r < reps; r++) fanTimes.push(time(() => millraceRun(wsFan, 'pipelines/fan.yml', ['--regenerate-outputs'])));

  const rows = [
    { name: `chain-${N_CHAIN}`, millrace: median(chainTimes) },
    { name: `fan-${N_FAN}+join`, millrace: median(fanTimes) },
    { name: `chain-${N_CHAIN} full-reuse rerun`, millrace: median(reuseTimes) },
  ];

  if (has('make')) {
    const chainDir = makeDir('make-chain', Array.from({ length: N_CHAIN }, (_, i) => `s${i}`));
    writeFileSync(join(chainDir, 'Makefile'), chainMakefile(N_CHAIN));
    const fanDir = makeDir('make-fan', [...Array.from({ length: N_FAN }, (_, i) => `s${i}`), 'join']);
    writeFileSync(join(fanDir, 'Makefile'), fanMakefile(N_FAN));
    const mk = (dir) => time(() => execFileSync('make', ['-B', `-j${cores}`, '-s', '-C', dir], { stdio: 'ignore' }));
    rows[0].make = median(Array.from({ length: reps }, () => mk(chainDir)));
    rows[1].make = median(Array.from({ length: reps }, () => mk(fanDir)));
  }
  if (has('snakemake')) {
    const dir = makeDir('snake-chain', []);
    writeFileSync(join(dir, 'Snakefile'), chainSnakefile(N_CHAIN));
    const sm = () => execFileSync('snakemake', ['--cores', String(cores), '--quiet'], { cwd: dir, stdio: 'ignore' });
    sm(); // builds everything once
    rows[2].snakemake = median(Array.from({ length: reps }, () => time(sm)));
  }

  // --- 100,000 metric points from one step: stored within 1 s of the step's end
  const wsMetrics = workspace('metrics');
  writeFileSync(join(wsMetrics, 'pipelines', 'log.py'), 'from millrace import Run\nrun = Run.get_context()\nfor i in range(100000):\n    run.log("loss", 1.0 / (i + 1))\n');
  writeFileSync(join(wsMetrics, 'pipelines', 'metrics.yml'), 'name: metrics\nsteps:\n  log:\n    type: python\n    script: log.py\n    allow_reuse: false\n');
  const metricRun = spawnSync('node', [join(root, 'bench', 'metrics-latency.mjs'), wsMetrics], { encoding: 'utf8' });
  if (metricRun.status !== 0) throw new Error(metricRun.stderr);
  const metrics = JSON.parse(metricRun.stdout);

  report.section('Engine', [
    ...rows.map((r) => ({
      name: r.name,
      millraceMs: r.millrace,
      makeMs: r.make,
      snakemakeMs: r.snakemake,
      ratio: r.make ? r.millrace / r.make : r.snakemake ? r.millrace / r.snakemake : undefined,
      vs: r.make ? 'make' : r.snakemake ? 'snakemake' : undefined,
    })),
  ], metrics);
  return { rows, metrics };
}
