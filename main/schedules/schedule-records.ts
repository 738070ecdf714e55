// Stored schedules as the API and `--json` show them.
import type { ScheduleRecord, ScheduleRunRecord } from '../../shared/schedules.js';
import type { ScheduleRunRow, StoredSchedule } from '../store/schedule-store.js';
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
    lastFireTime: s.lastFired == null ? null : formatInZone(new Date(s.lastFired), tz),
    nextFireTime,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

export const scheduleRunRecord = (r: ScheduleRunRow): ScheduleRunRecord => ({
  id: r.id,
  shortId: r.short_id,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  endedAt: r.ended_at == null ? null : new Date(r.ended_at).toISOString(),
  trigger: { kind: r.trigger_kind ?? 'manual', ...(r.trigger_info ? JSON.parse(r.trigger_info) : {}) },
});
