// Before any job of a run is submitted: the Slurm client is installed, a controller answers, and
// every partition the run's targets name exists. Each problem is a UserError naming the target
// (exit 2 on the command line, 400 over HTTP), so nothing is half-submitted.
import { UserError } from '../../../shared/errors.js';
import type { ComputeTarget, SlurmTarget } from '../targets.js';
import { slurmSync, SlurmCommandError } from './commands.js';

/** A check that passed is trusted this long, so a burst of submits costs one sinfo. */
const TRUST_MS = 10_000;
let lastGood: { key: string; at: number } | undefined;

const PREFLIGHT_TIMEOUT_MS = 15_000;

/** Throws a UserError when a Slurm target the run uses cannot take jobs. */
export function preflightSlurm(targets: Record<string, ComputeTarget>, used: string[]): void {
  const slurmTargets = [...new Set(used)].flatMap((name) => {
    const t = targets[name];
    return t?.type === 'slurm' ? [[name, t] as [string, SlurmTarget]] : [];
  });
  if (!slurmTargets.length) return;
  const key = JSON.stringify([process.env.SLURM_CONF ?? '', slurmTargets.map(([n, t]) => [n, t.partition ?? ''])]);
  if (lastGood && lastGood.key === key && Date.now() - lastGood.at < TRUST_MS) return;
  const names = slurmTargets.map(([n]) => `'${n}'`).join(', ');
  let out: string;
  try {
    out = slurmSync('sinfo', ['-h', '-o', '%P|%a'], PREFLIGHT_TIMEOUT_MS);
  } catch (e) {
    const err = e as SlurmCommandError;
    if (err.code === 'ENOENT') {
      throw new UserError(`compute target ${names} is a Slurm cluster, but sbatch and sinfo are not installed here: install the Slurm client commands (Debian: apt-get install slurm-client) or run Millrace on the cluster's login node`, 'compute_unavailable');
    }
    throw new UserError(`compute target ${names}: no Slurm controller reachable (${err.message})`, 'compute_unavailable');
  }
  try {
    slurmSync('sbatch', ['--version'], PREFLIGHT_TIMEOUT_MS);
  } catch (e) {
    throw new UserError(`compute target ${names} is a Slurm cluster, but sbatch cannot run here: ${(e as Error).message}`, 'compute_unavailable');
  }
  const partitions = out.split('\n').map((l) => l.split('|')[0].trim().replace(/\*$/, '')).filter(Boolean);
  for (const [name, t] of slurmTargets) {
    if (t.partition && !partitions.includes(t.partition)) {
      throw new UserError(`compute target '${name}': unknown Slurm partition '${t.partition}' (partitions: ${partitions.join(', ') || 'none'})`, 'compute_unavailable');
    }
  }
  lastGood = { key, at: Date.now() };
}
