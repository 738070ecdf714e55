// Ending every process of a step: its process group, and whatever left the group (setsid, double
// forks) but still carries the step's environment marker (process-marker.ts).
import { groupAlive, procStat, signalGroup } from './process-identity.js';
import { findMarked, signalMarked, type MarkedProcess } from './process-marker.js';

/**
 * SIGTERM to the group and to the marked processes, SIGKILL after `graceMs`; resolves once none
 * is left (or 5 s after the SIGKILL, for processes that cannot die: D state).
 */
export function terminateStep(pgid: number | undefined, marker: string | undefined, graceMs: number): Promise<void> {
  let signal: NodeJS.Signals = 'SIGTERM';
  let known: MarkedProcess[] = [];
  const hitGroup = () => {
    if (pgid === undefined) return;
    signalGroup(pgid, signal);
    if (signal === 'SIGTERM') signalGroup(pgid, 'SIGCONT'); // a stopped process cannot act on SIGTERM
  };
  const hit = (p: MarkedProcess) => {
    signalMarked(p, signal);
    if (signal === 'SIGTERM') signalMarked(p, 'SIGCONT');
  };
  /**
   * Finds (and signals) marked processes not seen yet. Returns true when nothing can be left:
   * the group was already gone before the scan and the scan found nobody, so no process
   * could have handed the marker on after it.
   */
  const scan = (): boolean => {
    const groupGone = pgid === undefined || !groupAlive(pgid);
    if (!marker) return groupGone;
    const fresh = findMarked([marker]).filter((p) => !known.some((k) => k.pid === p.pid && k.start === p.start));
    for (const p of fresh) hit(p);
    known.push(...fresh);
    return groupGone && !fresh.length && !known.length;
  };
  hitGroup();
  let quiet = scan();
  const t0 = Date.now();
  return new Promise((done) => {
    const tick = () => {
      known = known.filter((p) => procStat(p.pid)?.start === p.start);
      if ((pgid === undefined || !groupAlive(pgid)) && !known.length) {
        if (quiet || scan()) return done();
      }
      quiet = false;
      const waited = Date.now() - t0;
      if (waited >= graceMs) {
        signal = 'SIGKILL';
        hitGroup();
        for (const p of known) hit(p);
      }
      if (waited >= graceMs + 5000) return done(); // unkillable: give up waiting
      setTimeout(tick, waited < 200 ? 20 : 100);
    };
    tick();
  });
}
