// Schedules: stored here; the workspace owner's scheduler picks changes up from the table (within seconds).
import type { HandlerMap } from '../../../shared/api/contract.js';
import { UserError } from '../../../shared/errors.js';
import { formatInZone, nextFireTimes, resolveDateTime, validateRecurrence } from '../../schedules/recurrence.js';
import { createSchedule, updateSchedule } from '../../schedules/schedule-create.js';
import { scheduleRecord } from '../../schedules/schedule-records.js';
import type { CallContext } from '../context.js';

export const scheduleHandlers = {
  'schedules/list': (_a, { ws }) => ws.store.schedules.list().map((s) => scheduleRecord(s)),

  'schedules/get': (a, { ws }) => scheduleRecord(ws.store.schedules.get(a.name)),

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

  'schedules/runs': (a, { ws }) => {
    const s = ws.store.schedules.get(a.name);
    const { rows, total } = ws.store.schedules.runs(s.id, a.limit, a.offset);
    return { items: rows, total, limit: a.limit, offset: a.offset };
  },
} satisfies Partial<HandlerMap<CallContext>>;
