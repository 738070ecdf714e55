// `millrace schedule preview` through the built CLI (`npm run build` first), as a user runs it.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/workspace.js';

describe('millrace schedule preview', () => {
  it('--json prints exactly one JSON array of ISO-8601 strings with the zone offset', () => {
    const r = cli(['schedule', 'preview', '--frequency', 'Day', '--interval', '1', '--hours', '2', '--minutes', '30', '--time-zone', 'Europe/Berlin', '--from', '2026-03-27T00:00:00', '-n', '4', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['2026-03-27T02:30:00+01:00', '2026-03-28T02:30:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-30T02:30:00+02:00']);
  });

  it('takes a cron expression, week-day names in any case, and defaults to 10 fire times', () => {
    const cron = cli(['schedule', 'preview', '--cron', '30 6 * * 1-5', '--time-zone', 'Europe/Berlin', '--from', '2026-03-26T12:00:00Z', '--json']);
    expect(cron.status).toBe(0);
    const times = JSON.parse(cron.stdout) as string[];
    expect(times).toHaveLength(10);
    expect(times.slice(0, 2)).toEqual(['2026-03-27T06:30:00+01:00', '2026-03-30T06:30:00+02:00']);
    const week = cli(['schedule', 'preview', '--frequency', 'Week', '--interval', '2', '--week-days', 'monday,WEDNESDAY', '--hours', '9', '--minutes', '0', '--start-time', '2026-03-04T00:00:00', '--time-zone', 'Europe/Berlin', '--from', '2026-03-01T00:00:00Z', '-n', '4', '--json']);
    expect(week.status).toBe(0);
    expect(JSON.parse(week.stdout)).toEqual(['2026-03-04T09:00:00+01:00', '2026-03-16T09:00:00+01:00', '2026-03-18T09:00:00+01:00', '2026-03-30T09:00:00+02:00']);
  });

  it('human output is one line per fire time, marking the ones after a DST change', () => {
    const r = cli(['schedule', 'preview', '--frequency', 'Hour', '--start-time', '2026-10-25T01:00:00', '--time-zone', 'Europe/Berlin', '--from', '2026-10-01T00:00:00Z', '--count', '4']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(['2026-10-25T01:00:00+02:00', '2026-10-25T02:00:00+02:00', '2026-10-25T02:00:00+01:00 (DST change)', '2026-10-25T03:00:00+01:00', ''].join('\n'));
  });

  it('defaults the zone to the system zone', () => {
    const r = cli(['schedule', 'preview', '--frequency', 'Day', '--start-time', '2026-07-01T12:00:00', '--from', '2026-06-01T00:00:00Z', '-n', '1', '--json'], { env: { TZ: 'Asia/Kolkata' } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['2026-07-01T12:00:00+05:30']);
  });

  it('exits 2 naming the zone when it is unknown, with nothing on stdout', () => {
    const r = cli(['schedule', 'preview', '--frequency', 'Day', '--time-zone', 'Mars/Olympus', '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--time-zone: unknown time zone 'Mars\/Olympus'/);
  });

  it('exits 2 naming the flag for other bad input', () => {
    const cases: [string[], RegExp][] = [
      [['--frequency', 'Day', '--hours', '6,24'], /--hours\[1\]: each hour value must be from 0 to 23/],
      [['--frequency', 'Week', '--week-days', 'Funday'], /--week-days\[0\]: expected day names/],
      [['--frequency', 'Day', '--interval', '0'], /--interval: expected a whole number of at least 1/],
      [['--cron', '61 * * * *'], /--cron: .*minute/i],
      [['--frequency', 'Day', '--from', 'tomorrow'], /--from: expected an ISO-8601 date-time/],
      [['--frequency', 'Day', '-n', 'ten'], /--count: expected a whole number/],
      [[], /--frequency: give a frequency .* or a cron expression/],
    ];
    for (const [args, message] of cases) {
      const r = cli(['schedule', 'preview', '--time-zone', 'UTC', ...args, '--json']);
      expect({ args, status: r.status, stdout: r.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
  });
});
