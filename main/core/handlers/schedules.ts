// Schedules: stored here; the workspace owner's scheduler picks changes up from the table (within seconds).
import type { HandlerMap } from '../../../shared/api/contract.js';
import { UserError } from '../../../shared/errors.js';
import type { ScheduleRecord } from '../../../shared/schedules.js';
import { formatInZone, nextFireTimes, resolveDateTime, validateRecurrence } from '../../schedules/recurrence.js';
import { createSchedule, updateSchedule } from '../../schedules/schedule-create.js';
import { scheduleRecord } from '../../schedules/schedule-records.js';
import { runScheduleNow } from '../../schedules/run-now.js';
import type { Workspace } from '../../workspace/workspace.js';
import { triggerFor, type CallContext } from '../context.js';

/** The newest run a schedule started, for its row in the studio. */
function withLastRun(ws: Workspace, s: ScheduleRecord): ScheduleRecord {
  const r = ws.store.schedules.runs(s.id, 1, 0).rows[0];
  return { ...s, lastRun: r ? { id: r.id, shortId: r.shortId, status: r.status, createdAt: r.createdAt } : null };
}

export const scheduleHandlers = {
  'schedules/list': (_a, { ws }) => ws.store.schedules.list().map((s) => withLastRun(ws, scheduleRecord(s))),

  'schedules/get': (a, { ws }) => withLastRun(ws, scheduleRecord(ws.store.schedules.get(a.name))),

  'schedules/create': (a, { ws }) => scheduleRecord(createSchedule(ws, a)),

  'schedules/update': (a, { ws }) => scheduleRecord(updateSchedule(ws, a)),

  'schedules/enable': (a, { ws }) => scheduleRecord(ws.store.schedules.setEnabled(a.name, true)),

  'schedules/disable': (a, { ws }) => scheduleRecord(ws.store.schedules.setEnabled(a.name, false)),

  'schedules/delete': (a, { ws }) => scheduleRecord(ws.store.schedules.delete(a.name)),

  'schedules/preview': (a) => {
    const rec = validateRecurrence(a.recurrence);
    let from: Date;
    try {
      from = a.from === undefined ? new Date(Math.floor(Date.now() / 1000) * 1000) : resolveDateTime(a.from, rec.timeZone);
    } catch (e) {
      throw new UserError(`from: ${(e as Error).message}`, 'invalid_input');
    }
    return nextFireTimes(rec, from, a.count).map((t) => formatInZone(t, rec.timeZone));
  },

  'schedules/run-now': (a, { ws, runs, caller, baseUrl }) => ws.store.runs.get(runScheduleNow(ws, runs, a.name, triggerFor(caller), baseUrl)),

  'schedules/runs': (a, { ws }) => {
    const s = ws.store.schedules.get(a.name);
    const { rows, total } = ws.store.schedules.runs(s.id, a.limit, a.offset);
    return { items: rows, total, limit: a.limit, offset: a.offset };
  },
} satisfies Partial<HandlerMap<CallContext>>;
