// How one step attempt becomes one sbatch job. The argv reaches the job untouched: sbatch hands
// the words after the script to it as its arguments, and the script only does `exec "$@"` —
// no shell ever parses them (sbatch --wrap would). The step's environment is sbatch's own
// environment, exported whole (--export=ALL), so the job sees exactly what a local step sees.
import { existsSync, writeFileSync } from 'node:fs';
import type { ResourcesSpec } from '../../../shared/pipeline/resources.js';
import { parseMemoryMb } from '../../../shared/pipeline/resources.js';
import type { SlurmTarget } from '../targets.js';

export const JOB_SCRIPT = `#!/bin/sh
# Written by Millrace: runs the step's argv, passed by sbatch as this script's arguments, as is.
exec "$@"
`;

/** The job script of a step run (one per step, shared by its attempts). */
export function writeJobScript(file: string): void {
  if (!existsSync(file)) writeFileSync(file, JOB_SCRIPT, { mode: 0o755 });
}

/** sbatch expands %j, %N, ... in file names; %% is a literal %. */
const literalPath = (p: string) => p.replace(/%/g, '%%');

export interface SbatchJob {
  target: SlurmTarget;
  jobName: string;
  logFile: string;
  cwd: string;
  script: string;
  argv: string[];
  /** The step's own `resources`; they override the target's cpus_per_task, mem and gres. */
  resources: ResourcesSpec | null;
}

export function sbatchArgs(j: SbatchJob): string[] {
  const t = j.target;
  const r = j.resources ?? {};
  const args = [
    '--parsable',
    `--job-name=${j.jobName}`,
    `--output=${literalPath(j.logFile)}`,
    '--open-mode=append',
    `--chdir=${j.cwd}`,
    '--export=ALL',
  ];
  if (t.partition) args.push(`--partition=${t.partition}`);
  if (t.account) args.push(`--account=${t.account}`);
  if (t.qos) args.push(`--qos=${t.qos}`);
  if (t.timeLimit) args.push(`--time=${t.timeLimit}`);
  const cpus = r.cpus !== undefined ? Math.ceil(r.cpus) : t.cpusPerTask;
  if (cpus) args.push(`--cpus-per-task=${cpus}`);
  const mem = r.memory !== undefined ? parseMemoryMb(r.memory) : t.memMb;
  if (mem) args.push(`--mem=${mem}M`);
  const gres = r.gpus !== undefined ? (r.gpus > 0 ? `gpu:${r.gpus}` : undefined) : t.gres;
  if (gres) args.push(`--gres=${gres}`);
  args.push(...t.sbatchArgs, j.script, ...j.argv);
  return args;
}

/** The job id in `sbatch --parsable` output (`ID` or `ID;cluster`). */
export function parseJobId(stdout: string): string | undefined {
  const id = stdout.trim().split('\n').pop()?.split(';')[0].trim();
  return id && /^\d+(_\d+)?$/.test(id) ? id : undefined;
}
