// Who drives a run (AZUREML.md section 10.4a, docs/compute.md): a pipeline run with no owner is
// unclaimed; a process takes it with ONE conditional UPDATE, so exactly one process drives it.
// Also the lock of the workspace's one detached `millrace runner`.
import { Table } from './statements.js';
import { UNFINISHED_SQL } from './status-sql.js';

export interface ProcessId {
  pid: number;
  start: string;
}

export interface UnclaimedRun {
  id: string;
  /** Epoch ms since it waits (its creation when it was recorded unclaimed). */
  since: number;
}


export class ClaimStore extends Table {


  /** True when this call made `me` the run's owner; false when another process has it (or it ended). */
  claim(runId: string, me: ProcessId): boolean {
    return this.sql(`UPDATE runs SET owner_pid = @pid, owner_start = @start, unclaimed_since = NULL
       WHERE id = @id AND kind = 'pipeline' AND owner_pid IS NULL AND status IN ${UNFINISHED_SQL}`,).run({ id: runId, pid: me.pid, start: me.start }).changes === 1;
  }

  /** Gives the run up (its owner, or a dead owner's recovery); it waits for the next claimer. */
  release(runId: string, owner: { pid: number | null; start: string | null }, now = Date.now()): boolean {
    return (
      this.sql(
          `UPDATE runs SET owner_pid = NULL, owner_start = NULL, unclaimed_since = ?
           WHERE id = ? AND owner_pid IS ? AND owner_start IS ? AND status IN ${UNFINISHED_SQL}`,
        )
        .run(now, runId, owner.pid, owner.start).changes === 1
    );
  }

  unclaimed(): UnclaimedRun[] {
    return this.sql(`SELECT id, COALESCE(unclaimed_since, created_at) AS since FROM runs
       WHERE kind = 'pipeline' AND owner_pid IS NULL AND status IN ${UNFINISHED_SQL} ORDER BY created_at, id`,).all() as UnclaimedRun[];
  }

  runnerLock(): (ProcessId & { acquiredAt: number }) | undefined {
    const r = this.sql('SELECT pid, start, acquired_at FROM workspace_runner WHERE id = 1').get() as { pid: number; start: string; acquired_at: number } | undefined;
    return r && { pid: r.pid, start: r.start, acquiredAt: r.acquired_at };
  }

  /** Takes the runner lock unless `isHeld` says its holder lives; returns the live holder when refused. */
  takeRunnerLock(me: ProcessId, isHeld: (holder: ProcessId) => boolean, now = Date.now()): ProcessId | undefined {
    return this.db
      .transaction(() => {
        const cur = this.runnerLock();
        if (cur && !(cur.pid === me.pid && cur.start === me.start) && isHeld(cur)) return cur;
        this.sql('INSERT INTO workspace_runner (id, pid, start, acquired_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, start = excluded.start, acquired_at = excluded.acquired_at')
          .run(me.pid, me.start, now);
        return undefined;
      })
      .immediate();
  }

  /**
   * Releases the runner lock only if no run waits: the check and the release are one
   * transaction, so a run recorded unclaimed meanwhile is never left without a runner.
   */
  releaseRunnerLockIfIdle(me: ProcessId): boolean {
    return this.db
      .transaction(() => {
        if ((this.sql(`SELECT id, COALESCE(unclaimed_since, created_at) AS since FROM runs
       WHERE kind = 'pipeline' AND owner_pid IS NULL AND status IN ${UNFINISHED_SQL} ORDER BY created_at, id`,).all() as UnclaimedRun[]).length) return false;
        this.sql('DELETE FROM workspace_runner WHERE id = 1 AND pid = ? AND start = ?').run(me.pid, me.start);
        return true;
      })
      .immediate();
  }

  /** Releases the runner lock whatever waits (the runner is stopping anyway). */
  releaseRunnerLock(me: ProcessId): void {
    this.sql('DELETE FROM workspace_runner WHERE id = 1 AND pid = ? AND start = ?').run(me.pid, me.start);
  }
}
