// Bug 4 of issue 14: the duration of a running run froze at page load ("11 ms" for a run 10 s old).
// Durations of running runs count from their start to the clock's now, and the clock ticks.
import { describe, expect, it } from 'vitest';
import { Clock, liveDuration, type TimeSource } from '../../renderer/src/lib/clock.svelte.js';

function fakeTime(start: number) {
  let now = start;
  const timers = new Set<() => void>();
  const source: TimeSource = {
    now: () => now,
    every: (_ms, f) => {
      timers.add(f);
      return () => timers.delete(f);
    },
  };
  return { source, advance: (ms: number) => ((now += ms), timers.forEach((f) => f())), running: () => timers.size };
}

describe('live durations', () => {
  const started = '2026-03-01T10:00:00.000Z';
  const t0 = Date.parse(started);

  it('a running run counts from its start to now; an ended one keeps its recorded duration', () => {
    expect(liveDuration({ status: 'Running', startedAt: started, durationMs: 11 }, t0 + 10_000)).toBe(10_000);
    expect(liveDuration({ status: 'Completed', startedAt: started, durationMs: 4200 }, t0 + 99_000)).toBe(4200);
    expect(liveDuration({ status: 'Queued', startedAt: null, durationMs: null }, t0)).toBeNull();
    expect(liveDuration({ status: 'Running', startedAt: started, durationMs: 0 }, t0 - 500)).toBe(0);
  });

  it('the clock ticks while used, once for all users, and stops after the last one', () => {
    const t = fakeTime(t0);
    const c = new Clock(t.source, 1000);
    const stopA = c.use();
    const stopB = c.use();
    expect(t.running()).toBe(1);
    t.advance(10_000);
    expect(c.now).toBe(t0 + 10_000);
    expect(liveDuration({ status: 'Running', startedAt: started, durationMs: 11 }, c.now)).toBe(10_000);
    stopA();
    stopA();
    expect(t.running()).toBe(1);
    stopB();
    expect(t.running()).toBe(0);
  });
});
