// What the tray and the notifications show: runs in flight and failures, from the run events.
import type { ApiEvent } from '../../shared/api/events.js';
import { isTerminal } from '../../shared/constants.js';

export interface RunCounts {
  running: number;
  failed: number;
}

/** Counts runs in flight (NotStarted, Queued, Running, ...) and runs that failed since the last reset. */
export class RunTally {
  private readonly inFlight = new Set<string>();
  private failedIds = new Set<string>();

  /** Returns true when the counts changed. */
  apply(e: ApiEvent): boolean {
    if (e.type !== 'run') return false;
    const before = this.key();
    if (isTerminal(e.status)) {
      this.inFlight.delete(e.runId);
      if (e.status === 'Failed') this.failedIds.add(e.runId);
    } else this.inFlight.add(e.runId);
    return before !== this.key();
  }

  /** The user has seen the failures (opened the window from the tray). */
  resetFailed(): void {
    this.failedIds = new Set();
  }

  get counts(): RunCounts {
    return { running: this.inFlight.size, failed: this.failedIds.size };
  }

  private key(): string {
    return `${this.inFlight.size}/${this.failedIds.size}`;
  }
}

export function trayTooltip(c: RunCounts, workspace: string): string {
  const parts = [c.running ? `${c.running} running` : 'idle', ...(c.failed ? [`${c.failed} failed`] : [])];
  return `Millrace: ${parts.join(', ')}\n${workspace}`;
}

/** Short text next to the tray icon (macOS title): empty when nothing is going on. */
export const trayTitle = (c: RunCounts): string => [c.running ? `▶${c.running}` : '', c.failed ? `✖${c.failed}` : ''].filter(Boolean).join(' ');

export interface RunNotice {
  title: string;
  body: string;
  runId: string;
}

/** A native notification for a run that completed or failed (canceled runs were canceled by someone here). */
export function noticeFor(e: ApiEvent, describe: (runId: string) => string = (id) => `Run ${id}`): RunNotice | null {
  if (e.type !== 'run') return null;
  if (e.status === 'Completed') return { title: 'Run completed', body: describe(e.runId), runId: e.runId };
  if (e.status === 'Failed') return { title: 'Run failed', body: `${describe(e.runId)}${e.error ? `\n${e.error}` : ''}`, runId: e.runId };
  return null;
}
