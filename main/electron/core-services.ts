// The services the desktop core runs besides the server, as `millrace serve` does: the scheduler
// (recurrence schedules and data-change watchers), under the workspace's owner lock. When another
// process owns the workspace (a `millrace serve`), the app still opens, without schedules.
import { startClaiming } from '../executor/run-claim.js';
import { acquireOwnerLock } from '../schedules/owner-lock.js';
import { recordServingUrl } from '../schedules/serving-url.js';
import { startScheduler } from '../schedules/scheduler.js';
import type { CoreService } from './core-host.js';

export const schedulerService: CoreService = ({ ws, runs, url }) => {
  const release = acquireOwnerLock(ws, `the Millrace desktop app (pid ${process.pid})`);
  recordServingUrl(ws, url);
  let scheduler;
  try {
    scheduler = startScheduler(ws, runs);
  } catch (e) {
    release();
    throw e;
  }
  // As `millrace serve`: the owner drives the runs that wait for one (docs/compute.md).
  const stopClaiming = startClaiming(ws, (runId) => runs.adopt(runId));
  return async () => {
    stopClaiming();
    await scheduler.dispose();
    release();
  };
};

export const desktopServices: CoreService[] = [schedulerService];
