// "Now" for durations and relative times that must move while a page is open (issue 14, bug 4: a
// running run's duration froze at page load). One clock ticks while something uses it; tests give
// it their own time source.
import { isTerminal, type RunStatus } from '../../../shared/constants.js';

export interface TimeSource {
  now(): number;
  /** Calls `f` every `ms`; returns the stopper. */
  every(ms: number, f: () => void): () => void;
}

export const systemTime: TimeSource = {
  now: () => Date.now(),
  every: (ms, f) => {
    const t = setInterval(f, ms);
    return () => clearInterval(t);
  },
};

export class Clock {
  now = $state(0);
  private users = 0;
  private stop: (() => void) | undefined;

  constructor(
    private readonly time: TimeSource = systemTime,
    private readonly ms = 1000,
  ) {
    this.now = time.now();
  }

  /** Starts ticking (shared by every user); returns the function that ends this use. */
  use(): () => void {
    this.now = this.time.now();
    if (this.users++ === 0) this.stop = this.time.every(this.ms, () => (this.now = this.time.now()));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.users === 0) this.stop?.();
    };
  }
}

export const clock = new Clock();

/**
 * A run's or step's duration now: while it runs, from its start to `now` (the record's durationMs was
 * computed when it was fetched); once ended, the recorded one.
 */
export function liveDuration(r: { status: RunStatus; startedAt: string | null; durationMs: number | null }, now: number): number | null {
  if (isTerminal(r.status) || !r.startedAt) return r.durationMs;
  return Math.max(0, now - Date.parse(r.startedAt));
}
