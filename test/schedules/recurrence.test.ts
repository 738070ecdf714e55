// Fire times of recurrences across DST, month ends and leap years. Expected values are worked out from the zones'
// rules (noted next to each case), not copied from the output. `from` is passed explicitly: a fixed clock.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { formatInZone, nextFireTimes, resolveDateTime, validateRecurrence } from '../../main/schedules/recurrence.js';

/** Validates like the CLI/API do, then formats the fire times in the schedule's zone. */
function fires(input: Record<string, unknown>, from: string, n: number): string[] {
  const rec = validateRecurrence(input);
  return nextFireTimes(rec, resolveDateTime(from, rec.timeZone), n).map((d) => formatInZone(d, rec.timeZone));
}

function problems(input: Record<string, unknown>): string {
  try {
    validateRecurrence(input);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('invalid_recurrence');
    return (e as Error).message;
  }
  throw new Error('expected the recurrence to be rejected');
}

describe('formatInZone', () => {
  it('writes the wall clock with the offset in force at that instant', () => {
    expect(formatInZone(new Date('2026-03-29T04:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29T06:30:00+02:00'); // CEST from 01:00Z
    expect(formatInZone(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29T01:30:00+01:00'); // still CET
    expect(formatInZone(new Date('2026-01-15T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-15T17:30:00+05:30');
    expect(formatInZone(new Date('2026-07-01T00:00:00Z'), 'America/New_York')).toBe('2026-06-30T20:00:00-04:00');
    expect(formatInZone(new Date('2026-07-01T00:00:00Z'), 'UTC')).toBe('2026-07-01T00:00:00+00:00');
    expect(formatInZone(new Date('2026-07-01T00:00:00.250Z'), 'UTC')).toBe('2026-07-01T00:00:00.250+00:00');
  });
});

describe('Europe/Berlin (CET +01:00 / CEST +02:00; clocks change at 01:00 UTC on the last Sunday of March and October)', () => {
  it('a daily 02:30 fires at 03:00+02:00 on 2026-03-29, the first instant after the 02:00-03:00 gap', () => {
    expect(fires({ frequency: 'Day', interval: 1, startTime: '2026-03-27T02:30:00', timeZone: 'Europe/Berlin' }, '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-03-27T02:30:00+01:00',
      '2026-03-28T02:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
  });

  it('a daily 02:30 fires once on 2026-10-25, when 02:00-03:00 happens twice', () => {
    const daily = { frequency: 'Day', interval: 1, startTime: '2026-10-24T02:30:00', timeZone: 'Europe/Berlin' };
    expect(fires(daily, '2026-10-01T00:00:00Z', 3)).toEqual(['2026-10-24T02:30:00+02:00', '2026-10-25T02:30:00+02:00', '2026-10-26T02:30:00+01:00']);
    // From the second 02:30 on (after the first fired), the next one is the following day.
    expect(fires(daily, '2026-10-25T02:30:00+01:00', 1)).toEqual(['2026-10-26T02:30:00+01:00']);
    // `from` is inclusive.
    expect(fires(daily, '2026-10-25T02:30:00+02:00', 1)).toEqual(['2026-10-25T02:30:00+02:00']);
  });

  it('hours x minutes on the day of the gap: 02:00 and 03:00 both land on 03:00+02:00 and fire once', () => {
    expect(fires({ frequency: 'Day', startTime: '2026-03-28T00:00:00', timeZone: 'Europe/Berlin', hours: [3, 2], minutes: [0] }, '2026-03-28T00:00:00+01:00', 5)).toEqual([
      '2026-03-28T02:00:00+01:00',
      '2026-03-28T03:00:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:00:00+02:00',
      '2026-03-30T03:00:00+02:00',
    ]);
  });

  it('hours x minutes inside the repeated hour fire at their first occurrence only', () => {
    expect(fires({ frequency: 'Day', startTime: '2026-10-25T00:00:00', timeZone: 'Europe/Berlin', hours: [2], minutes: [30, 0] }, '2026-10-25T00:00:00+02:00', 4)).toEqual([
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:30:00+02:00',
      '2026-10-26T02:00:00+01:00',
      '2026-10-26T02:30:00+01:00',
    ]);
  });

  it('Hour steps in elapsed hours, so the local labels skip 02:00 in spring and repeat it in autumn', () => {
    // 00:00+01:00 = 23:00Z; hourly: 00Z = 01:00+01:00, 01Z = 03:00+02:00 (the change), 02Z = 04:00+02:00.
    expect(fires({ frequency: 'Hour', interval: 1, startTime: '2026-03-29T00:00:00', timeZone: 'Europe/Berlin' }, '2026-03-28T00:00:00Z', 4)).toEqual([
      '2026-03-29T00:00:00+01:00',
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T04:00:00+02:00',
    ]);
    // 00:00+02:00 = 22:00Z; 00Z = 02:00+02:00; the change is at 01Z, which reads 02:00+01:00.
    expect(fires({ frequency: 'Hour', interval: 1, startTime: '2026-10-25T00:00:00', timeZone: 'Europe/Berlin' }, '2026-10-24T00:00:00Z', 5)).toEqual([
      '2026-10-25T00:00:00+02:00',
      '2026-10-25T01:00:00+02:00',
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:00:00+01:00',
      '2026-10-25T03:00:00+01:00',
    ]);
  });

  it('Month on the 31st skips the months without one and keeps 09:00 local across both DST changes', () => {
    expect(fires({ frequency: 'Month', interval: 1, startTime: '2026-01-31T09:00:00', timeZone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', 8)).toEqual([
      '2026-01-31T09:00:00+01:00',
      '2026-03-31T09:00:00+02:00',
      '2026-05-31T09:00:00+02:00',
      '2026-07-31T09:00:00+02:00',
      '2026-08-31T09:00:00+02:00',
      '2026-10-31T09:00:00+01:00',
      '2026-12-31T09:00:00+01:00',
      '2027-01-31T09:00:00+01:00',
    ]);
    // Every 2 months from January: Sep and Nov have no 31st and are skipped, not moved.
    expect(fires({ frequency: 'Month', interval: 2, startTime: '2026-01-31T09:00:00', timeZone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-01-31T09:00:00+01:00',
      '2026-03-31T09:00:00+02:00',
      '2026-05-31T09:00:00+02:00',
      '2026-07-31T09:00:00+02:00',
      '2027-01-31T09:00:00+01:00',
    ]);
    expect(fires({ frequency: 'Month', interval: 1, startTime: '2026-01-31T09:00:00', timeZone: 'Europe/Berlin' }, '2026-06-15T00:00:00Z', 1)).toEqual(['2026-07-31T09:00:00+02:00']);
  });

  it('Week on Monday and Wednesday every 2 weeks, counted from the (Monday-based) week of the start', () => {
    // 2026-03-04 is a Wednesday; its week starts Monday 03-02 (before the start, so not fired). Next weeks: 03-16, 03-30.
    const rec = { frequency: 'Week', interval: 2, weekDays: ['Wednesday', 'Monday'], hours: [9], minutes: [0], startTime: '2026-03-04T00:00:00', timeZone: 'Europe/Berlin' };
    expect(fires(rec, '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-03-04T09:00:00+01:00',
      '2026-03-16T09:00:00+01:00',
      '2026-03-18T09:00:00+01:00',
      '2026-03-30T09:00:00+02:00',
      '2026-04-01T09:00:00+02:00',
    ]);
    expect(fires(rec, '2026-03-17T00:00:00Z', 2)).toEqual(['2026-03-18T09:00:00+01:00', '2026-03-30T09:00:00+02:00']);
    // Nothing in the off weeks: from Monday 03-23 the next is 03-30.
    expect(fires(rec, '2026-03-23T00:00:00', 1)).toEqual(['2026-03-30T09:00:00+02:00']);
  });

  it('Week without week days repeats the start weekday and time', () => {
    expect(fires({ frequency: 'Week', interval: 1, startTime: '2026-03-19T10:00:00', timeZone: 'Europe/Berlin' }, '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-19T10:00:00+01:00', // a Thursday
      '2026-03-26T10:00:00+01:00',
      '2026-04-02T10:00:00+02:00',
    ]);
  });

  it('cron 30 6 * * 1-5 fires on weekdays at 06:30 local', () => {
    // 2026-03-26 is a Thursday and 06:30 has passed at 12:00Z; the weekend is skipped; 03-30 is after the change.
    expect(fires({ cron: '30 6 * * 1-5', timeZone: 'Europe/Berlin' }, '2026-03-26T12:00:00Z', 5)).toEqual([
      '2026-03-27T06:30:00+01:00',
      '2026-03-30T06:30:00+02:00',
      '2026-03-31T06:30:00+02:00',
      '2026-04-01T06:30:00+02:00',
      '2026-04-02T06:30:00+02:00',
    ]);
  });

  it('cron follows the same gap and fall-back rules', () => {
    // 02:00 and 02:30 do not exist on 03-29: both become 03:00+02:00, as does 03:00 itself; fired once.
    expect(fires({ cron: '*/30 * * * *', timeZone: 'Europe/Berlin' }, '2026-03-29T01:00:00+01:00', 4)).toEqual([
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T01:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T03:30:00+02:00',
    ]);
    expect(fires({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' }, '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T03:00:00+02:00', '2026-03-30T02:30:00+02:00']);
    // From exactly the transition instant (inclusive), the shifted 02:30 is still due.
    expect(fires({ cron: '30 2 * * *', timeZone: 'Europe/Berlin' }, '2026-03-29T03:00:00+02:00', 1)).toEqual(['2026-03-29T03:00:00+02:00']);
    // Hourly across the repeated hour: 02:00 once (first occurrence), then 03:00+01:00.
    expect(fires({ cron: '0 * * * *', timeZone: 'Europe/Berlin' }, '2026-10-25T01:00:00+02:00', 3)).toEqual([
      '2026-10-25T01:00:00+02:00',
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T03:00:00+01:00',
    ]);
  });

  it('cron respects a start time', () => {
    expect(fires({ cron: '0 12 * * *', timeZone: 'Europe/Berlin', startTime: '2026-05-10T00:00:00' }, '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-05-10T12:00:00+02:00',
      '2026-05-11T12:00:00+02:00',
    ]);
  });
});

describe('America/New_York (EST -05:00 / EDT -04:00; 2nd Sunday of March and 1st Sunday of November at 02:00 local)', () => {
  it('daily 02:30 across 2026-03-08: the gap 02:00-03:00 makes it 03:00-04:00', () => {
    expect(fires({ frequency: 'Day', interval: 1, startTime: '2026-03-06T02:30:00', timeZone: 'America/New_York' }, '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-03-06T02:30:00-05:00',
      '2026-03-07T02:30:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
  });

  it('daily 01:30 across 2026-11-01: 01:00-02:00 repeats, it fires once at -04:00', () => {
    expect(fires({ frequency: 'Day', interval: 1, startTime: '2026-10-31T01:30:00', timeZone: 'America/New_York' }, '2026-10-01T00:00:00Z', 3)).toEqual([
      '2026-10-31T01:30:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
  });

  it('Hour across 2026-11-01 repeats the 01:00 label (elapsed time)', () => {
    // 00:00-04:00 = 04:00Z; 05Z = 01:00-04:00; the change at 06:00Z reads 01:00-05:00; 07Z = 02:00-05:00.
    expect(fires({ frequency: 'Hour', interval: 1, startTime: '2026-11-01T00:00:00', timeZone: 'America/New_York' }, '2026-10-01T00:00:00Z', 4)).toEqual([
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-05:00',
      '2026-11-01T02:00:00-05:00',
    ]);
  });
});

describe('Australia/Lord_Howe (+10:30 / +11:00: a 30-minute shift at 02:00 local, 1st Sunday of October and of April)', () => {
  it('daily 02:15 across 2026-10-04: 02:00-02:30 does not exist, it fires at 02:30+11:00', () => {
    expect(fires({ frequency: 'Day', interval: 1, startTime: '2026-10-02T02:15:00', timeZone: 'Australia/Lord_Howe' }, '2026-09-01T00:00:00Z', 4)).toEqual([
      '2026-10-02T02:15:00+10:30',
      '2026-10-03T02:15:00+10:30',
      '2026-10-04T02:30:00+11:00',
      '2026-10-05T02:15:00+11:00',
    ]);
  });

  it('daily 01:45 across 2026-04-05: 01:30-02:00 repeats, it fires once at +11:00', () => {
    expect(fires({ frequency: 'Day', interval: 1, startTime: '2026-04-04T01:45:00', timeZone: 'Australia/Lord_Howe' }, '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-04-04T01:45:00+11:00',
      '2026-04-05T01:45:00+11:00',
      '2026-04-06T01:45:00+10:30',
    ]);
  });

  it('every 30 minutes (elapsed) shows 01:30 twice on 2026-04-05', () => {
    // 01:00+11:00 = 14:00Z (04-04); the change is at 02:00+11:00 = 15:00Z, which reads 01:30+10:30.
    expect(fires({ frequency: 'Minute', interval: 30, startTime: '2026-04-05T01:00:00+11:00', timeZone: 'Australia/Lord_Howe' }, '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-04-05T01:00:00+11:00',
      '2026-04-05T01:30:00+11:00',
      '2026-04-05T01:30:00+10:30',
      '2026-04-05T02:00:00+10:30',
    ]);
  });
});

describe('Asia/Kolkata (+05:30 all year)', () => {
  it('Day at 06:30 without a start time counts days from `from`', () => {
    const rec = { frequency: 'Day', interval: 1, hours: [6], minutes: [30], timeZone: 'Asia/Kolkata' };
    // 00:00Z = 05:30 local: 06:30 today is still ahead.
    expect(fires(rec, '2026-03-28T00:00:00Z', 3)).toEqual(['2026-03-28T06:30:00+05:30', '2026-03-29T06:30:00+05:30', '2026-03-30T06:30:00+05:30']);
    // 01:30Z = 07:00 local: today's has passed.
    expect(fires(rec, '2026-03-28T01:30:00Z', 1)).toEqual(['2026-03-29T06:30:00+05:30']);
  });

  it('hours x minutes, and a minute list with the hour taken from the start', () => {
    expect(fires({ frequency: 'Day', interval: 2, hours: [18, 6], minutes: [30, 0], startTime: '2026-03-10T12:00:00', timeZone: 'Asia/Kolkata' }, '2026-03-01T00:00:00Z', 5)).toEqual([
      '2026-03-10T18:00:00+05:30',
      '2026-03-10T18:30:00+05:30',
      '2026-03-12T06:00:00+05:30',
      '2026-03-12T06:30:00+05:30',
      '2026-03-12T18:00:00+05:30',
    ]);
    expect(fires({ frequency: 'Day', interval: 1, minutes: [0, 30], startTime: '2026-03-10T07:15:00', timeZone: 'Asia/Kolkata' }, '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-10T07:30:00+05:30',
      '2026-03-11T07:00:00+05:30',
      '2026-03-11T07:30:00+05:30',
    ]);
  });

  it('cron in the zone', () => {
    expect(fires({ cron: '0 9 * * *', timeZone: 'Asia/Kolkata' }, '2026-03-28T04:00:00Z', 2)).toEqual(['2026-03-29T09:00:00+05:30', '2026-03-30T09:00:00+05:30']);
  });
});

describe('leap years', () => {
  it('Month on the 29th: February 2027 is skipped, February 2028 fires', () => {
    expect(fires({ frequency: 'Month', interval: 1, startTime: '2027-01-29T12:00:00', timeZone: 'UTC' }, '2027-01-01T00:00:00Z', 3)).toEqual([
      '2027-01-29T12:00:00+00:00',
      '2027-03-29T12:00:00+00:00',
      '2027-04-29T12:00:00+00:00',
    ]);
    expect(fires({ frequency: 'Month', interval: 1, startTime: '2028-01-29T12:00:00', timeZone: 'UTC' }, '2028-01-01T00:00:00Z', 3)).toEqual([
      '2028-01-29T12:00:00+00:00',
      '2028-02-29T12:00:00+00:00',
      '2028-03-29T12:00:00+00:00',
    ]);
  });

  it('yearly on Feb 29 fires only in leap years, and 2100 is not one', () => {
    expect(fires({ frequency: 'Month', interval: 12, startTime: '2028-02-29T12:00:00', timeZone: 'UTC' }, '2028-01-01T00:00:00Z', 3)).toEqual([
      '2028-02-29T12:00:00+00:00',
      '2032-02-29T12:00:00+00:00',
      '2036-02-29T12:00:00+00:00',
    ]);
    expect(fires({ frequency: 'Month', interval: 12, startTime: '2096-02-29T12:00:00', timeZone: 'UTC' }, '2097-01-01T00:00:00Z', 1)).toEqual(['2104-02-29T12:00:00+00:00']);
  });

  it('Day steps over Feb 28 to Mar 1 in 2027 and to Feb 29 in 2028', () => {
    expect(fires({ frequency: 'Day', interval: 1, startTime: '2027-02-27T12:00:00', timeZone: 'UTC' }, '2027-01-01T00:00:00Z', 3)).toEqual([
      '2027-02-27T12:00:00+00:00',
      '2027-02-28T12:00:00+00:00',
      '2027-03-01T12:00:00+00:00',
    ]);
    expect(fires({ frequency: 'Day', interval: 1, startTime: '2028-02-27T12:00:00', timeZone: 'UTC' }, '2028-01-01T00:00:00Z', 3)).toEqual([
      '2028-02-27T12:00:00+00:00',
      '2028-02-28T12:00:00+00:00',
      '2028-02-29T12:00:00+00:00',
    ]);
  });
});

describe('Minute and start times', () => {
  it('the start time is the first fire time when it is at or after `from`; later ones are on the grid', () => {
    const rec = { frequency: 'Minute', interval: 15, startTime: '2026-01-01T00:00:00Z', timeZone: 'UTC' };
    expect(fires(rec, '2025-12-31T00:00:00Z', 2)).toEqual(['2026-01-01T00:00:00+00:00', '2026-01-01T00:15:00+00:00']);
    expect(fires(rec, '2026-01-01T00:20:00Z', 3)).toEqual(['2026-01-01T00:30:00+00:00', '2026-01-01T00:45:00+00:00', '2026-01-01T01:00:00+00:00']);
    expect(fires(rec, '2026-01-01T00:30:00Z', 1)).toEqual(['2026-01-01T00:30:00+00:00']);
  });

  it('a start time with an offset is an instant; without one it is wall-clock time in the zone', () => {
    expect(fires({ frequency: 'Hour', startTime: '2026-01-01T00:00:00Z', timeZone: 'Europe/Berlin' }, '2025-01-01T00:00:00Z', 1)).toEqual(['2026-01-01T01:00:00+01:00']);
    expect(fires({ frequency: 'Hour', startTime: '2026-01-01T00:00:00', timeZone: 'Europe/Berlin' }, '2025-01-01T00:00:00Z', 1)).toEqual(['2026-01-01T00:00:00+01:00']);
  });

  it('n = 0 gives nothing; interval defaults to 1', () => {
    const rec = validateRecurrence({ frequency: 'Day', timeZone: 'UTC' });
    expect(rec).toMatchObject({ interval: 1 });
    expect(nextFireTimes(rec, new Date('2026-01-01T00:00:00Z'), 0)).toEqual([]);
  });
});

describe('validation names the field', () => {
  it.each([
    [{ frequency: 'Day', timeZone: 'Mars/Olympus' }, /timeZone: unknown time zone 'Mars\/Olympus'/],
    [{ frequency: 'Day', timeZone: '+01:00' }, /timeZone: unknown time zone '\+01:00'/],
    [{ frequency: 'Day' }, /timeZone: /],
    [{ frequency: 'Day', timeZone: 'UTC', hours: [24] }, /hours\[0\]: each hour value must be from 0 to 23/],
    [{ frequency: 'Day', timeZone: 'UTC', hours: [6.5] }, /hours\[0\]: each hour value must be an integer/],
    [{ frequency: 'Day', timeZone: 'UTC', minutes: [0, 60] }, /minutes\[1\]: each minute value must be from 0 to 59/],
    [{ frequency: 'Day', timeZone: 'UTC', interval: 0 }, /interval: expected a whole number of at least 1/],
    [{ frequency: 'Week', timeZone: 'UTC', weekDays: ['Funday'] }, /weekDays\[0\]: expected day names: Monday, /],
    [{ frequency: 'Fortnight', timeZone: 'UTC' }, /frequency: expected one of Minute, Hour, Day, Week, Month/],
    [{ frequency: 'Hour', timeZone: 'UTC', hours: [1] }, /hours: only allowed with frequency Day or Week, not Hour/],
    [{ frequency: 'Month', timeZone: 'UTC', minutes: [1] }, /minutes: only allowed with frequency Day or Week, not Month/],
    [{ frequency: 'Day', timeZone: 'UTC', weekDays: ['Monday'] }, /weekDays: only allowed with frequency Week, not Day/],
    [{ frequency: 'Day', timeZone: 'UTC', startTime: 'yesterday' }, /startTime: expected an ISO-8601 date-time .*'yesterday'/],
    [{ frequency: 'Day', timeZone: 'UTC', startTime: '2026-02-30T06:00:00' }, /startTime: /],
    [{ frequency: 'Day', timeZone: 'UTC', hour: 3 }, /hour: not a recurrence field/],
    [{ cron: 'not a cron', timeZone: 'UTC' }, /cron: expected 5 fields/],
    [{ cron: '61 * * * *', timeZone: 'UTC' }, /cron: .*minute/i],
    [{ cron: '0 6 * * *', frequency: 'Day', timeZone: 'UTC' }, /cron: give either a cron expression or a frequency, not both/],
    [{ timeZone: 'UTC' }, /frequency: give a frequency/],
  ])('%j', (input, message) => {
    expect(problems(input)).toMatch(message);
  });
});
