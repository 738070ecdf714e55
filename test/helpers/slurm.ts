// A one-node Slurm cluster for the tests that need one (../shared/slurm/start.sh, as root): each
// test file starts its own in a fresh folder and stops it afterwards. Without sbatch the tests
// are skipped with a message saying so.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { repoRoot } from './workspace.js';

// Installed is enough: without a configuration `sbatch --version` fails too.
export const hasSbatch = (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'sbatch')));
if (!hasSbatch) process.stderr.write('Slurm tests skipped: sbatch is not installed (apt-get install slurm-wlm munge)\n');

const scripts = join(repoRoot, '..', 'shared', 'slurm');

export interface Cluster {
  base: string;
  conf: string;
  stop(): void;
}

/** Starts the cluster and points this process (and the children it starts) at it. */
export function startCluster(env: Record<string, string> = {}): Cluster {
  const base = mkdtempSync(join(tmpdir(), 'millrace-slurm-'));
  chmodSync(base, 0o755); // munged refuses a socket folder that others cannot traverse
  const e = { ...process.env, SLURM_BASE: base, ...env };
  const r = spawnSync('bash', [join(scripts, 'start.sh')], { env: e, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`start.sh failed: ${r.stdout}${r.stderr}`);
  const conf = join(base, 'slurm.conf');
  process.env.SLURM_CONF = conf;
  return {
    base,
    conf,
    stop: () => {
      spawnSync('bash', [join(scripts, 'stop.sh')], { env: e, encoding: 'utf8' });
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** squeue's view of one job: `STATE|exit` or '' once it is forgotten. */
export function jobState(jobId: string): string {
  return spawnSync('squeue', ['-h', '-t', 'all', '-j', jobId, '-O', 'State:|'], { encoding: 'utf8' }).stdout.trim().replace(/\|$/, '');
}
