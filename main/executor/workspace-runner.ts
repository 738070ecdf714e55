// `millrace runner`: the workspace's one detached driver of unclaimed runs (run-claim.ts). It holds
// the runner lock, claims every unclaimed run and resumes it, stops claiming once a serve owns the
// workspace, and exits after `idleMs` with nothing to drive, releasing its lock in the transaction
// that finds no unclaimed run.
import type { RunStatus } from '../../shared/constants.js';
import type { Workspace } from '../workspace/workspace.js';
import { isSameProcessAlive, selfIdentity } from './process-identity.js';
import { resumeRunner } from './resume.js';
import { claimUnclaimed, CLAIM_EVERY_MS, servedByOwner } from './run-claim.js';

export interface WorkspaceRunnerOptions {
  idleMs?: number;
  everyMs?: number;
  log?: (line: string) => void;
}

export const RUNNER_IDLE_MS = 30_000;

/** Drives unclaimed runs until idle; resolves when the runner lock is released (or was never won). */
export async function runWorkspaceRunner(ws: Workspace, o: WorkspaceRunnerOptions = {}): Promise<'idle' | 'locked'> {
  const idleMs = o.idleMs ?? (Number(process.env.MILLRACE_RUNNER_IDLE_MS) || RUNNER_IDLE_MS);
  const everyMs = o.everyMs ?? CLAIM_EVERY_MS;
  const log = o.log ?? ((l: string) => void process.stdout.write(`${new Date().toISOString()} runner ${process.pid}: ${l}\n`));
  const me = selfIdentity();
  const holder = ws.store.claims.takeRunnerLock(me, (h) => isSameProcessAlive(h.pid, h.start));
  if (holder) {
    log(`runner ${holder.pid} already drives this workspace; exiting`);
    return 'locked';
  }
  log(`started for workspace ${ws.dir}`);
  const live = new Map<string, Promise<RunStatus | void>>();
  let idleSince = Date.now();
  const drive = (runId: string) => {
    log(`claimed run ${runId}`);
    const runner = resumeRunner(ws, runId, { onProblem: (m) => log(`run ${runId}: ${m}`) });
    const done = runner
      .run()
      .then((status) => log(`run ${runId} ended ${status}`))
      .catch((e: Error) => log(`run ${runId} could not be driven: ${e.stack ?? e.message}`))
      .finally(() => live.delete(runId));
    live.set(runId, done);
  };
  for (;;) {
    const served = servedByOwner(ws);
    if (!served) {
      try {
        claimUnclaimed(ws, drive);
      } catch (e) {
        log(`cannot claim: ${(e as Error).message}`);
      }
    }
    if (live.size) idleSince = Date.now();
    else if (Date.now() - idleSince >= idleMs) {
      // A serve claims what waits from now on; otherwise leave only when nothing waits.
      if (served) {
        ws.store.claims.releaseRunnerLock(me);
        break;
      }
      if (ws.store.claims.releaseRunnerLockIfIdle(me)) break;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  log(`idle for ${idleMs / 1000} s; exiting`);
  return 'idle';
}
