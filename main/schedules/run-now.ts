// "Run now": a schedule's pipeline, experiment and parameters submitted at once, outside its clock
// (no slot is used up, nothing is deduplicated); the run is listed in the schedule's history.
import type { Trigger } from '../../shared/types.js';
import type { RunDriver } from '../executor/run-driver.js';
import { submitPublished } from '../publish/submit-published.js';
import type { Workspace } from '../workspace/workspace.js';

/** `by`: who asked (the caller's own trigger, e.g. {kind: 'manual'}); returns the new run's id. */
export function runScheduleNow(ws: Workspace, runs: RunDriver, key: string, by: Trigger, baseUrl: string): string {
  const s = ws.store.schedules.get(key);
  const { kind: byKind, ...byInfo } = by;
  const trigger: Trigger = { kind: 'schedule', schedule: s.name, scheduleId: s.id, runNow: true, by: { kind: byKind, ...byInfo } };
  return submitPublished(ws, runs, s.target, { experiment: s.experiment, parameters: s.parameters }, trigger, baseUrl).Id;
}
