// setTimeout for any delay. Node (like browsers) keeps timer delays in a signed 32-bit int:
// anything above 2^31-1 ms (~24.8 days) is replaced by 1 ms, with only a warning — so a step
// `timeout: 2600000` (s) would fire at once. Longer delays are chained from timers of at most
// the maximum.

export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` once after `ms` milliseconds; returns the function that cancels it. */
export function setLongTimeout(fn: () => void, ms: number): () => void {
  let remaining = Math.max(0, ms);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const chunk = Math.min(remaining, MAX_TIMER_MS);
    remaining -= chunk;
    timer = setTimeout(() => (remaining > 0 ? arm() : fn()), chunk);
  };
  arm();
  return () => clearTimeout(timer);
}
