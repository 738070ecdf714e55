// The scheduler of the workspace owner (`millrace serve`, the desktop app): fires recurrence schedules
// and runs the data-change watchers of data-change schedules. startScheduler() returns its disposer.
//
// One loop: every tick re-reads the schedules table (so schedules created, enabled, disabled or deleted by
// the API or by a CLI in another process take effect within reloadMs), starts and stops triggers to match,
// and fires the recurrence slots that are due. Only the latest due slot of a schedule can fire (never a burst):
// it fires when it is at most lateAfterMs old; an older one was missed (the owner was down, the machine slept,
// the clock jumped) and follows the schedule's catchUp policy: it runs once, or it does not.
import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { RunManager } from '../executor/run-manager.js';
import type { StoredSchedule } from '../store/schedule-store.js';
import { startDataChangeWatcher, type DataChangeWatcher } from '../triggers/data-change-watcher.js';
import type { Workspace } from '../workspace/workspace.js';
import { fireBatch, fireFileChange, fireSlot, skipTo, type FireContext } from './fire.js';
import { nextFireTimes } from './recurrence.js';
import { TriggerRegistry } from './trigger-registry.js';

export interface SchedulerOptions {
  /** Clock (tests pass a fake one). */
  now?: () => number;
  /** One-shot timer; returns its canceller (tests pass a fake one). */
  setTimer?: (fn: () => void, ms: number) => () => void;
  /** How often the schedules table is re-read (default 2000 ms). */
  reloadMs?: number;
  /** A slot older than this when the loop sees it counts as missed (default 60 000 ms). */
  lateAfterMs?: number;
  /**
   * Data-change watchers: how long a file must stay unchanged before it counts (default 500 ms, lower than
   * the watcher's own 2 s default so that a run is queued within a second of the last write).
   */
  stabilityMs?: number;
  /** Batch mode quiet period (default 1000 ms). */
  quietMs?: number;
  reconcileEveryMs?: number;
  pollIntervalMs?: number;
  /** Failures that do not stop the scheduler (default: stderr). */
  onError?: (message: string) => void;
}

export interface Scheduler {
  /** Resolves once the triggers present at start are running (watchers scanned their folders once). */
  ready: Promise<void>;
  /** Re-read the schedules table now (e.g. right after an API call changed it). */
  poke(): void;
  dispose(): Promise<void>;
}

interface Active {
  schedule: StoredSchedule;
  /** Recurrence: the last slot handled (epoch ms). */
  cursor?: number;
  watcher?: DataChangeWatcher;
}

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** The latest fire time in (after, until], if any. */
function latestDue(s: StoredSchedule, after: number, until: number): number | undefined {
  let latest: number | undefined;
  let from = after + 1;
  for (;;) {
    const batch = nextFireTimes(s.recurrence!, new Date(from), 500).map((d) => d.getTime());
    for (const t of batch) {
      if (t > until) return latest;
      latest = t;
    }
    if (batch.length < 500) return latest;
    from = batch[batch.length - 1] + 1;
  }
}

export function startScheduler(ws: Workspace, runs: RunManager, opts: SchedulerOptions = {}): Scheduler {
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? realTimer;
  const reloadMs = opts.reloadMs ?? 2000;
  const lateAfterMs = opts.lateAfterMs ?? 60_000;
  const onError = opts.onError ?? ((m: string) => void process.stderr.write(`millrace: ${m}\n`));
  const ctx: FireContext = { ws, runs, onError };
  const registry = new TriggerRegistry<Active>();
  let closed = false;
  let cancelTimer: (() => void) | undefined;
  const starting: Promise<void>[] = [];

  function startTrigger(s: StoredSchedule): Active {
    if (s.kind === 'recurrence') return { schedule: s, cursor: Math.max(s.lastFired ?? -Infinity, s.enabledAt - 1) };
    const dc = s.dataChange!;
    const base = dc.pathOnDatastore;
    const dsPath = (rel: string) => (base ? posix.join(base, rel) : rel);
    const root = join(ws.datastorePath(dc.datastore), base);
    // The watcher would only notice a folder created later at its next full scan (every minute): make it now.
    mkdirSync(root, { recursive: true });
    const watcher = startDataChangeWatcher({
      root,
      glob: dc.glob,
      polling: dc.polling,
      pollIntervalMs: opts.pollIntervalMs,
      mode: dc.mode,
      quietMs: opts.quietMs,
      stabilityMs: opts.stabilityMs ?? 500,
      reconcileEveryMs: opts.reconcileEveryMs,
      isHandled: (rel, hash) => ws.store.schedules.currentHash(s.id, dsPath(rel)) === hash,
      onChange: (c) => void fireFileChange(ctx, s, { path: dsPath(c.relPath), hash: c.hash }),
      onBatch: (cs) => void fireBatch(ctx, s, cs.map((c) => ({ path: dsPath(c.relPath), hash: c.hash }))),
      onError: (e) => onError(`schedule '${s.name}': ${e.message}`),
    });
    starting.push(watcher.ready);
    return { schedule: s, watcher };
  }

  const stopTrigger = async (a: Active) => {
    await a.watcher?.close();
  };

  /** Match the running triggers to the enabled schedules in the table. */
  function reload(): void {
    const wanted = new Map(ws.store.schedules.list().filter((s) => s.enabled).map((s) => [s.id, s]));
    for (const [id, a] of registry.entries()) {
      const s = wanted.get(id);
      if (s && s.updatedAt === a.schedule.updatedAt) continue;
      registry.remove(id);
      void stopTrigger(a);
    }
    for (const [id, s] of wanted) {
      if (registry.has(id)) continue;
      try {
        registry.add(id, startTrigger(s));
      } catch (e) {
        onError(`schedule '${s.name}' cannot start: ${(e as Error).message}`);
      }
    }
  }

  /** Only the latest due slot can fire: older ones were passed over (a delayed or suspended loop), never fired in a burst. */
  function fireDue(a: Active, t: number): void {
    const s = a.schedule;
    const latest = latestDue(s, a.cursor!, t);
    if (latest === undefined) return;
    if (latest > t - lateAfterMs) fireSlot(ctx, s, latest);
    else if (s.catchUp) fireSlot(ctx, s, latest, true);
    else skipTo(ctx, s, latest);
    a.cursor = latest;
  }

  function nextDue(a: Active): number | undefined {
    return nextFireTimes(a.schedule.recurrence!, new Date(a.cursor! + 1), 1)[0]?.getTime();
  }

  function tick(): void {
    cancelTimer = undefined;
    if (closed) return;
    let delay = reloadMs;
    try {
      reload();
      const t = now();
      for (const [, a] of registry.entries()) {
        if (a.schedule.kind !== 'recurrence') continue;
        try {
          fireDue(a, t);
          const next = nextDue(a);
          if (next !== undefined) delay = Math.min(delay, Math.max(0, next - t));
        } catch (e) {
          onError(`schedule '${a.schedule.name}': ${(e as Error).message}`);
        }
      }
    } catch (e) {
      onError(`scheduler: ${(e as Error).message}`);
    }
    if (!closed) cancelTimer = setTimer(tick, delay);
  }

  tick();
  const ready = Promise.all(starting).then(() => undefined);

  return {
    ready,
    poke() {
      if (closed) return;
      cancelTimer?.();
      tick();
    },
    async dispose() {
      if (closed) return;
      closed = true;
      cancelTimer?.();
      await Promise.allSettled(registry.clear().map(stopTrigger));
    },
  };
}
