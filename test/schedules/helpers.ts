// A fresh workspace with a trivial published pipeline, a fake clock and timer for the scheduler loop.
import { RunManager } from '../../main/executor/run-manager.js';
import { publishPipeline } from '../../main/publish/publish.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

export const QUICK = `compute:\n  local: { type: local, max_concurrency: 2 }\nexecutor: { kill_grace_ms: 300 }\n`;
export const TRIVIAL = `name: trivial
parameters:
  raw_path: { type: path, default: none }
  alpha: { type: number, default: 1 }
steps:
  only:
    type: command
    command: ["true"]
    allow_reuse: false
`;

export interface Fixture {
  tw: TempWorkspace;
  ws: Workspace;
  runs: RunManager;
  publishedId: string;
  close(): Promise<void>;
}

export function fixture(): Fixture {
  const tw = tempWorkspace(QUICK);
  const file = tw.write('pipelines/trivial.yml', TRIVIAL);
  const ws = tw.open();
  const pub = publishPipeline(ws, file, { name: 'trivial', endpoint: 'trivial-ep' });
  const runs = new RunManager(ws, { maxParallelRuns: 2 });
  return {
    tw, ws, runs, publishedId: pub.id,
    close: async () => {
      await runs.dispose();
      ws.close();
      tw.cleanup();
    },
  };
}

/** A clock and one-shot timers that only move when told. */
export class FakeClock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  constructor(public t: number) {}
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return () => void (this.timers = this.timers.filter((x) => x.id !== id));
  };
  /** Moves time forward in one jump, then runs the timers that are due (as after a suspend). */
  jump(ms: number): void {
    this.t += ms;
    this.runDue();
  }
  /** Moves time forward step by step, running timers at their times (a process that is awake). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      this.timers = this.timers.filter((x) => x !== next);
      next.fn();
    }
    this.t = end;
  }
  private runDue(): void {
    for (;;) {
      const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
  }
}

/** Pipeline runs a schedule started, oldest first, with their triggers. */
export function scheduleRuns(ws: Workspace, name: string) {
  const s = ws.store.schedules.get(name);
  return ws.store.schedules.runs(s.id, 100_000, 0).rows.reverse().map((r) => ({ id: r.id, trigger: r.trigger as unknown as Record<string, unknown> }));
}
