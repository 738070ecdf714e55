// Stored schedules as the API and `--json` show them.
import type { ScheduleRecord } from '../../shared/schedules.js';
import type { StoredSchedule } from '../store/schedule-store.js';
import { formatInZone, nextFireTimes } from './recurrence.js';

export function scheduleRecord(s: StoredSchedule, now = Date.now()): ScheduleRecord {
  const tz = s.recurrence?.timeZone ?? 'UTC';
  let nextFireTime: string | null = null;
  if (s.recurrence && s.enabled) {
    const after = Math.max(now, (s.lastFired ?? -Infinity) + 1, s.enabledAt);
    const next = nextFireTimes(s.recurrence, new Date(after), 1)[0];
    nextFireTime = next ? formatInZone(next, tz) : null;
  }
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    target: s.target,
    experiment: s.experiment,
    parameters: s.parameters,
    recurrence: s.recurrence,
    dataChange: s.dataChange,
    enabled: s.enabled,
    catchUp: s.catchUp,
    description: s.description,
    continueOnStepFailure: s.continueOnStepFailure,
    pollingInterval: s.pollingInterval,
    lastFireTime: s.lastFired == null ? null : formatInZone(new Date(s.lastFired), tz),
    nextFireTime,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}
