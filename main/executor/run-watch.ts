// What a runner checks while its run is live, every tick: the cancel flag another process may
// set (`millrace runs cancel`, the API), and work that must not wait for the step's end.
// Returns its disposer (STYLE.md habit 6).

export const WATCH_TICK_MS = 250;

export interface RunWatch {
  /** True once somebody asked (through the store) to cancel the run. */
  cancelRequested(): boolean;
  onCancel(): void;
  /** Metrics of running steps, retries of refused writes. */
  onTick(): void;
}

export function startRunWatch(w: RunWatch, everyMs = WATCH_TICK_MS): () => void {
  const timer = setInterval(() => {
    try {
      if (w.cancelRequested()) w.onCancel();
    } catch {
      /* a busy or full database: asked again on the next tick */
    }
    try {
      w.onTick();
    } catch {
      /* likewise */
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
