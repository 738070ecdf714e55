// The services a core owning its workspace runs besides the transports (DESIGN.md section 8): the
// scheduler (recurrence schedules and data-change watchers) and the claiming of runs that wait for
// an owner (docs/compute.md, AZUREML.md section 10.4a).
import { startClaiming } from '../executor/run-claim.js';
import { acquireOwnerLock } from '../schedules/owner-lock.js';
import { startScheduler } from '../schedules/scheduler.js';
import { recordServingUrl } from '../schedules/serving-url.js';
import type { CoreService } from './host.js';

/** For a core that holds the owner lock already (`millrace serve`, through CoreOptions.ownerLock). */
export const schedulerService: CoreService = ({ ws, runs, url }) => {
  // Links in answers and `.endpoint` of the azureml package name where the owner serves.
  if (url) recordServingUrl(ws, url);
  const scheduler = startScheduler(ws, runs);
  const stopClaiming = startClaiming(ws, (runId) => runs.adopt(runId));
  return async () => {
    stopClaiming();
    await scheduler.dispose();
  };
};

/** Takes the owner lock itself: when another process owns the workspace, the core opens without schedules. */
export const ownerSchedulerService =
  (description: string): CoreService =>
  async (core) => {
    const release = acquireOwnerLock(core.ws, description);
    let stop: () => unknown;
    try {
      stop = await schedulerService(core);
    } catch (e) {
      release();
      throw e;
    }
    return async () => {
      await stop();
      release();
    };
  };

export const desktopServices: CoreService[] = [ownerSchedulerService(`the Millrace desktop app (pid ${process.pid})`)];
