// describeSchedule() and untilText(): the words the studio (and, later, the CLI) use for a schedule.
import { describe, expect, it } from 'vitest';
import { describeSchedule, untilText } from '../../shared/schedule-describe.js';

const rec = (r: Record<string, unknown>) => describeSchedule({ recurrence: { interval: 1, timeZone: 'Europe/Berlin', ...r } as never, dataChange: null });

describe('describeSchedule', () => {
  it('recurrences', () => {
    expect(rec({ frequency: 'Day', hours: [6], minutes: [30] })).toBe('every day at 06:30 (Europe/Berlin)');
    expect(rec({ frequency: 'Day', hours: [6], minutes: [30], startTime: '2026-03-01T10:00:00' })).toBe('every day at 06:30 (Europe/Berlin)');
    expect(rec({ frequency: 'Day', interval: 2, hours: [6], startTime: '2026-03-01T10:00:00' })).toBe('every 2 days at 06:00, from 2026-03-01 10:00:00 (Europe/Berlin)');
    expect(rec({ frequency: 'Day', hours: [18, 6], minutes: [0] })).toBe('every day at 06:00 and 18:00 (Europe/Berlin)');
    expect(rec({ frequency: 'Hour', interval: 2 })).toBe('every 2 hours (Europe/Berlin)');
    expect(rec({ frequency: 'Minute', interval: 1 })).toBe('every minute (Europe/Berlin)');
    expect(rec({ frequency: 'Week', weekDays: ['Monday', 'Friday'], hours: [7] })).toBe('every week on Monday and Friday at 07:00 (Europe/Berlin)');
    expect(rec({ frequency: 'Month', startTime: '2026-04-01T09:00:00' })).toBe('every month, from 2026-04-01 09:00:00 (Europe/Berlin)');
    expect(describeSchedule({ recurrence: { cron: '30 6 * * 1-5', timeZone: 'UTC' }, dataChange: null })).toBe('cron 30 6 * * 1-5 (UTC)');
  });

  it('data changes', () => {
    expect(describeSchedule({ recurrence: null, dataChange: { datastore: 'default', pathOnDatastore: 'landing', glob: '*.csv', mode: 'perFile', polling: false } })).toBe(
      'when files change under default:landing matching *.csv, one run per file',
    );
    expect(describeSchedule({ recurrence: null, dataChange: { datastore: 'lake', pathOnDatastore: '', mode: 'batch', polling: true } })).toBe(
      'when files change under lake:/, one run per burst of changes (polling)',
    );
  });
});

describe('untilText', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  it('says how long until a fire time', () => {
    expect(untilText('2026-03-01T10:00:30Z', now)).toBe('in 30 s');
    expect(untilText('2026-03-01T11:05:00+01:00', now)).toBe('in 5 min');
    expect(untilText('2026-03-01T12:10:00Z', now)).toBe('in 2 h 10 min');
    expect(untilText('2026-03-01T13:00:00Z', now)).toBe('in 3 h');
    expect(untilText('2026-03-04T10:00:00Z', now)).toBe('in 3 days');
    expect(untilText('2026-03-01T09:00:00Z', now)).toBe('now');
  });
});
