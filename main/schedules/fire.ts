// Starting a schedule's run. The dedup record ((schedule, fire time) or (schedule, path, hash)) and the run
// are written in ONE transaction: a crash at any moment leaves either both or neither, so a restart never
// starts a duplicate and never loses a firing that was acknowledged.
import { createHash } from 'node:crypto';
import { UserError } from '../../shared/errors.js';
import type { Trigger } from '../../shared/types.js';
import type { RunManager } from '../executor/run-manager.js';
import { submitPublished } from '../publish/submit-published.js';
import type { StoredSchedule } from '../store/schedule-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { formatInZone } from './zone.js';

export interface FireContext {
  ws: Workspace;
  runs: RunManager;
  /** Failures to start a run (a disabled pipeline, a parameter the pipeline no longer takes). */
  onError?(message: string): void;
}

export type FireOutcome = { runId: string } | { skipped: 'already-handled' } | { error: string };

/** Tests only: kill this process inside the transaction, after the run is written and before the commit. */
const crashBeforeCommit = () => {
  if (process.env.MILLRACE_TEST_CRASH_BEFORE_COMMIT === '1') process.kill(process.pid, 'SIGKILL');
};

/** Submits the schedule's pipeline; a UserError becomes the recorded reason why no run started. */
function submit(ctx: FireContext, s: StoredSchedule, parameters: Record<string, string | number | boolean>, trigger: Trigger): { runId: string } | { error: string } {
  try {
    // A savepoint: a failed submit leaves nothing of itself, the claim of the slot stays.
    const r = ctx.ws.store.transaction(() => submitPublished(ctx.ws, ctx.runs, s.target, { experiment: s.experiment, parameters, continueOnStepFailure: s.continueOnStepFailure }, trigger, ''));
    return { runId: r.Id };
  } catch (e) {
    // Shutting down: roll the claim back too, so the next start handles this slot or file.
    if (e instanceof UserError && e.code === 'unavailable') throw e;
    const error = e instanceof UserError ? e.message : `internal error: ${(e as Error).message}`;
    ctx.onError?.(`schedule '${s.name}': no run started: ${error}`);
    return { error };
  }
}

const baseTrigger = (s: StoredSchedule) => ({ schedule: s.name, scheduleId: s.id });

/** Fires one slot of a recurrence schedule (once per (schedule, fire time), ever) and moves last_fired to it. */
export function fireSlot(ctx: FireContext, s: StoredSchedule, fireTime: number, caughtUp = false): FireOutcome {
  const store = ctx.ws.store.schedules;
  return ctx.ws.store.transaction((): FireOutcome => {
    store.setLastFired(s.id, fireTime);
    if (!store.claimFire(s.id, fireTime)) return { skipped: 'already-handled' };
    const fireIso = formatInZone(new Date(fireTime), s.recurrence!.timeZone);
    const r = submit(ctx, s, s.parameters, { kind: 'schedule', ...baseTrigger(s), fireTime: fireIso, ...(caughtUp ? { caughtUp: true } : {}) });
    store.setFireOutcome(s.id, fireTime, 'runId' in r ? r.runId : null, 'error' in r ? r.error : null);
    crashBeforeCommit();
    return r;
  });
}

/** Slots that are not fired (missed while the owner was down or suspended, without catch-up) are only passed. */
export function skipTo(ctx: FireContext, s: StoredSchedule, fireTime: number): void {
  ctx.ws.store.schedules.setLastFired(s.id, fireTime);
}

export interface ChangedFile {
  /** Relative to the datastore. */
  path: string;
  hash: string;
}

/** perFile: one run for one changed file, unless (schedule, path, hash) is already its path's handled content. */
export function fireFileChange(ctx: FireContext, s: StoredSchedule, f: ChangedFile): FireOutcome {
  const store = ctx.ws.store.schedules;
  const dc = s.dataChange!;
  return ctx.ws.store.transaction((): FireOutcome => {
    if (store.currentHash(s.id, f.path) === f.hash) return { skipped: 'already-handled' };
    const parameters = dc.dataPathParameterName ? { ...s.parameters, [dc.dataPathParameterName]: f.path } : s.parameters;
    const r = submit(ctx, s, parameters, { kind: 'dataChange', ...baseTrigger(s), path: f.path, hash: f.hash });
    store.markHandled(s.id, f.path, f.hash, 'runId' in r ? r.runId : null, 'error' in r ? r.error : null);
    crashBeforeCommit();
    return r;
  });
}

/** batch: one run for a burst; its path parameter gets the watched folder. Files already handled are left out. */
export function fireBatch(ctx: FireContext, s: StoredSchedule, files: ChangedFile[]): FireOutcome {
  const store = ctx.ws.store.schedules;
  const dc = s.dataChange!;
  return ctx.ws.store.transaction((): FireOutcome => {
    const fresh = files.filter((f) => store.currentHash(s.id, f.path) !== f.hash);
    if (!fresh.length) return { skipped: 'already-handled' };
    const sorted = [...fresh].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const hash = createHash('sha256').update(sorted.map((f) => `${f.path}\0${f.hash}\n`).join('')).digest('hex');
    const folder = dc.pathOnDatastore;
    const parameters = dc.dataPathParameterName ? { ...s.parameters, [dc.dataPathParameterName]: folder === '' ? '.' : folder } : s.parameters;
    const trigger: Trigger = { kind: 'dataChange', ...baseTrigger(s), path: folder, hash, files: sorted.length, ...(sorted.length <= 100 ? { changes: sorted } : {}) };
    const r = submit(ctx, s, parameters, trigger);
    for (const f of sorted) store.markHandled(s.id, f.path, f.hash, 'runId' in r ? r.runId : null, 'error' in r ? r.error : null);
    crashBeforeCommit();
    return r;
  });
}
