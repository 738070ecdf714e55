// scancel for jobs whose runner is gone (recovery of a canceled run): one call for all of them,
// best effort — a job already ended is fine, a controller that does not answer is reported.
import { slurmSync } from './commands.js';

export function cancelJobsNow(jobIds: string[]): string | undefined {
  if (!jobIds.length) return undefined;
  try {
    slurmSync('scancel', jobIds, 15_000);
    return undefined;
  } catch (e) {
    return `scancel ${jobIds.join(' ')} failed: ${(e as Error).message}`;
  }
}
