// The engine bench's workloads, written out for Millrace, GNU make and Snakemake alike: every
// step runs `sh -c 'echo i > <its output folder>/x'`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const N_CHAIN = 200;
export const N_FAN = 500;
/** max_concurrency of the Millrace workspaces, and make's -j. */
export const JOBS = 2;

const step = (i, inputs) =>
  `  s${i}:\n    type: command\n    command: [sh, -c, 'echo ${i} > "$0/x"', "\${{outputs.out}}"]\n` +
  (inputs.length ? `    inputs:\n${inputs.map((d, k) => `      in${k}: \${{steps.s${d}.outputs.out}}\n`).join('')}` : '') +
  `    outputs:\n      out: { datastore: default }\n`;

export function chainYaml(n = N_CHAIN) {
  let y = 'name: chain\nsteps:\n';
  for (let i = 0; i < n; i++) y += step(i, i ? [i - 1] : []);
  return y;
}

export function fanYaml(n = N_FAN) {
  let y = 'name: fan\nsteps:\n';
  for (let i = 0; i < n; i++) y += step(i, []);
  y += `  join:\n    type: command\n    command: [sh, -c, 'echo done > "$0/x"', "\${{outputs.out}}"]\n    run_after: [${Array.from({ length: n }, (_, i) => `s${i}`).join(', ')}]\n    outputs:\n      out: { datastore: default }\n`;
  return y;
}

export function chainMakefile(n = N_CHAIN) {
  let m = `all: out/s${n - 1}/x\n`;
  for (let i = 0; i < n; i++) m += `out/s${i}/x:${i ? ` out/s${i - 1}/x` : ''}\n\t@echo ${i} > $@\n`;
  return m;
}

export function fanMakefile(n = N_FAN) {
  const xs = Array.from({ length: n }, (_, i) => `out/s${i}/x`);
  let m = `all: out/join/x\nout/join/x: ${xs.join(' ')}\n\t@echo done > $@\n`;
  for (let i = 0; i < n; i++) m += `out/s${i}/x:\n\t@echo ${i} > $@\n`;
  return m;
}

export function chainSnakefile(n = N_CHAIN) {
  let s = `rule all:\n    input: "out/s${n - 1}/x"\n`;
  for (let i = 0; i < n; i++) s += `rule s${i}:\n${i ? `    input: "out/s${i - 1}/x"\n` : ''}    output: "out/s${i}/x"\n    shell: "echo ${i} > {output}"\n`;
  return s;
}

/** A fresh Millrace workspace at `dir` with one local target of JOBS slots. */
export function millraceWorkspace(cli, dir) {
  rmSync(dir, { recursive: true, force: true });
  execFileSync('node', [cli, 'init', dir], { stdio: 'ignore' });
  writeFileSync(join(dir, 'millrace.yml'), `compute:\n  local: { type: local, max_concurrency: ${JOBS} }\n`);
  return dir;
}

/** A folder for make or Snakemake; the output folders made beforehand, as Millrace makes its own. */
export function plainDir(dir, targets) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const t of targets) mkdirSync(join(dir, 'out', t), { recursive: true });
  return dir;
}

/** A step that logs `points` values of one metric (the big-record workload). */
export const metricsScript = (points) =>
  `from millrace import Run\nrun = Run.get_context()\nfor i in range(${points}):\n    run.log("loss", 1.0 / (i + 1))\nrun.log("accuracy", 0.93)\n`;
export const metricsYaml = 'name: metrics\nsteps:\n  log:\n    type: python\n    script: log.py\n    allow_reuse: false\n';
