// Processes a step left running outside its process group (setsid, double forks) after it ended
// normally, when nothing tells us whether there are any: Node's own spawn has no subreaper to
// ask. One /proc scan costs milliseconds, so the ends of many steps share one scan, made
// shortly after them — and before this process exits — instead of one per step end.
import { findMarked } from './process-marker.js';
import { terminateStep } from './step-termination.js';

const SWEEP_MS = 100;
/** marker -> kill grace (ms) */
const pending = new Map<string, number>();
let timer: NodeJS.Timeout | undefined;
let hooked = false;

function sweep(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (!pending.size) return;
  const markers = new Map(pending);
  pending.clear();
  for (const marker of new Set(findMarked([...markers.keys()]).map((p) => p.marker))) {
    void terminateStep(undefined, marker, markers.get(marker)!);
  }
}

/** Stops whatever still carries `marker` soon (SIGTERM, SIGKILL after `graceMs`). */
export function sweepLater(marker: string, graceMs: number): void {
  pending.set(marker, graceMs);
  if (!hooked) {
    hooked = true;
    // An unref'd timer does not hold the process open; when nothing else does, sweep then.
    process.on('beforeExit', sweep);
  }
  if (!timer) {
    timer = setTimeout(sweep, SWEEP_MS);
    timer.unref();
  }
}
