// Converting between instants and wall-clock times of an IANA zone, using only Intl (the runtime's tz data).
//
// A wall-clock time is kept as "naive" milliseconds: the same fields read as if they were UTC. Naive values can be
// compared and stepped by days without any zone rules; only the conversions below know about DST.

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short', // so years before 1 AD cannot be confused with later ones
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock time in `tz` at `instant` (ms since the epoch), as naive milliseconds. */
export function toNaive(instant: number, tz: string): number {
  return instant + offsetAt(instant, tz);
}

/** The zone's UTC offset at `instant`, in milliseconds (positive east of Greenwich). */
export function offsetAt(instant: number, tz: string): number {
  const ms = ((instant % 1000) + 1000) % 1000; // Intl resolves whole seconds only
  const whole = instant - ms;
  const f: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(whole)) {
    if (p.type === 'era') f.bc = p.value.startsWith('B') ? 1 : 0;
    else if (p.type !== 'literal') f[p.type] = Number(p.value);
  }
  const year = f.bc ? 1 - f.year : f.year;
  const t = new Date(0);
  t.setUTCFullYear(year, f.month - 1, f.day);
  t.setUTCHours(f.hour, f.minute, f.second, 0);
  return t.getTime() - whole;
}

/**
 * The instant at which the wall clock of `tz` shows `naive`.
 * - A time that exists twice (fall-back): the earlier one, so it fires once.
 * - A time that does not exist (spring-forward gap): the first instant after the gap, i.e. the transition itself
 *   (Berlin 2026-03-29 02:30 -> 03:00+02:00).
 */
export function fromNaive(naive: number, tz: string): number {
  // Offsets a day either side bracket any single transition near this time (as the Temporal polyfill does).
  const before = offsetAt(naive - DAY, tz);
  const after = offsetAt(naive + DAY, tz);
  const candidates = [...new Set([naive - before, naive - after])].filter((t) => toNaive(t, tz) === naive).sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  return transitionBetween(naive - after, naive - before, tz);
}

/**
 * First instant in (lo, hi] whose offset differs from the offset at lo: the moment the clocks jumped.
 * Binary search on whole seconds (transitions fall on whole seconds); about 14 Intl calls, only for times in a gap.
 */
function transitionBetween(lo: number, hi: number, tz: string): number {
  const sec = (t: number) => Math.floor(t / 1000) * 1000;
  let a = sec(lo);
  let b = sec(hi) + 1000;
  const offsetA = offsetAt(a, tz);
  while (b - a > 1000) {
    const mid = a + Math.floor((b - a) / 2000) * 1000;
    if (offsetAt(mid, tz) === offsetA) a = mid;
    else b = mid;
  }
  return b;
}

/** ISO-8601 with the zone's offset at that instant, e.g. `2026-03-29T06:30:00+02:00` (milliseconds only when not 0). */
export function formatInZone(date: Date, tz: string): string {
  const instant = date.getTime();
  const offset = offsetAt(instant, tz);
  const wall = new Date(instant + offset).toISOString(); // "YYYY-MM-DDTHH:mm:ss.sssZ" of the wall clock
  const base = wall.endsWith('.000Z') ? wall.slice(0, -5) : wall.slice(0, -1);
  return base + formatOffset(offset);
}

/** `+02:00`, `-04:00`, `+05:30`, `+00:00` (seconds appear only for pre-1900 local mean times). */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMs / 1000));
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  const ss = abs % 60;
  return `${sign}${hh}:${mm}${ss ? `:${String(ss).padStart(2, '0')}` : ''}`;
}

export const MINUTE_MS = MINUTE;
export const DAY_MS = DAY;
