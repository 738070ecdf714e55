// The Slurm client commands (sbatch, squeue, scancel, sinfo, sacct) as child processes: argv only,
// a time limit on each (a client retries for a minute when it cannot read its configuration),
// and errors that keep the command's own first line.
import { execFile, spawnSync } from 'node:child_process';

export const SLURM_COMMAND_TIMEOUT_MS = 30_000;

export class SlurmCommandError extends Error {
  override readonly name = 'SlurmCommandError';
  constructor(
    readonly command: string,
    message: string,
    /** ENOENT when the command is not installed. */
    readonly code?: string,
    readonly stderr = '',
  ) {
    super(message);
  }
}

function describe(command: string, e: NodeJS.ErrnoException & { killed?: boolean }, stderr: string): SlurmCommandError {
  if (e.code === 'ENOENT') return new SlurmCommandError(command, `${command} is not installed (not found on PATH)`, 'ENOENT');
  if (e.killed) return new SlurmCommandError(command, `${command} did not answer within ${SLURM_COMMAND_TIMEOUT_MS / 1000} s`, 'ETIMEDOUT', stderr);
  const lines = stderr.split('\n').map((l) => l.replace(/^\w+: (error|fatal): /, '').trim()).filter(Boolean);
  // sbatch prints the cause first and "Batch job submission failed: ..." last; both help.
  return new SlurmCommandError(command, lines.length ? [...new Set(lines)].slice(-2).join('; ') : `${command} failed (${e.message})`, undefined, stderr);
}

/** Runs a Slurm command; resolves with its stdout. */
export function slurm(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: SLURM_COMMAND_TIMEOUT_MS, maxBuffer: 64 << 20, encoding: 'utf8' }, (e, stdout, stderr) => {
      if (e) reject(describe(command, e as NodeJS.ErrnoException, stderr));
      else resolve(stdout);
    });
  });
}

/** The same, blocking: for checks at submit and for recovery, which run before anything else. */
export function slurmSync(command: string, args: string[], timeoutMs = SLURM_COMMAND_TIMEOUT_MS): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error) throw describe(command, Object.assign(r.error as NodeJS.ErrnoException, { killed: (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' }), r.stderr ?? '');
  if (r.status !== 0) throw describe(command, Object.assign(new Error(`exit code ${r.status}`), { code: undefined }), r.stderr ?? '');
  return r.stdout;
}
