// Timers beyond setTimeout's 2^31-1 ms, on vitest's fake clock (which, like Node, turns a longer
// delay into 1 ms — the bug this guards against).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, setLongTimeout } from '../../main/executor/long-timeout.js';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => vi.useRealTimers());

describe('setLongTimeout', () => {
  it('fires a 2,600,000 s delay then and only then', () => {
    const fn = vi.fn();
    setLongTimeout(fn, 2_600_000_000);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_600_000_000 - MAX_TIMER_MS - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * MAX_TIMER_MS);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('fires short delays as setTimeout does, and never once canceled', () => {
    const short = vi.fn();
    setLongTimeout(short, 500);
    vi.advanceTimersByTime(499);
    expect(short).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(short).toHaveBeenCalledTimes(1);
    const canceled = vi.fn();
    const cancel = setLongTimeout(canceled, 3 * MAX_TIMER_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS + 5); // cancel a later link of the chain, not the first
    cancel();
    vi.advanceTimersByTime(5 * MAX_TIMER_MS);
    expect(canceled).not.toHaveBeenCalled();
  });
});
