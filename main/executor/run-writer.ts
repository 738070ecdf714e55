// The runner's writes to the store: status changes coalesced into one transaction per short
// window, a synchronous path for what must be committed before the engine goes on (a process's
// identity, the final status), and a close barrier — after close() nothing is written, and a
// write that comes anyway is a bug (thrown under test, logged otherwise).
// A failed transaction (disk full, I/O error) keeps its patches and is retried; `failure` says why.
//
// Why a window and not one transaction per event-loop turn: a chain step changes status in
// two or three turns (exited, then Completed + the next step's Preparing/Queued/Running, then its
// pid), and each SQLite commit costs ~0.15 ms of the engine's thread here. The pid is committed at
// once anyway (another process must reach the tree), carrying everything pending with it, so in a
// fast chain one transaction per step remains; slower runs see their statuses within the window.
import type { RunPatch, RunStore } from '../store/run-store.js';
import { strictStates } from './step-states.js';

/** How long a status change may wait for others to share its transaction. */
export const COALESCE_MS = 15;

export class WriteAfterClose extends Error {
  override readonly name = 'WriteAfterClose';
}

export class RunWriter {
  private readonly pending = new Map<string, RunPatch>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The last write error, until a write succeeds again. */
  failure: Error | undefined;

  constructor(
    private readonly runs: RunStore,
    private readonly onFailure: (e: Error) => void = () => {},
  ) {}

  /** Queue a row change; committed with the others of its window (or with the next commit). */
  write(id: string, patch: RunPatch): void {
    if (!this.admit(id)) return;
    this.merge(id, patch);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.tryFlush();
    }, COALESCE_MS);
  }

  /** Commit now, with everything pending; throws when the store refuses (the patches stay pending). */
  commit(patches: [string, RunPatch][] = []): void {
    for (const [id, p] of patches) if (this.admit(id)) this.merge(id, p);
    this.flush();
  }

  /** Commits what is pending if it can; false when the store refused (retried later). */
  tryFlush(): boolean {
    try {
      this.flush();
      return true;
    } catch {
      return false;
    }
  }

  /** The barrier: commits the final patches and everything pending, then refuses writes. Throws if the store refuses. */
  close(final: [string, RunPatch][] = []): void {
    this.commit(final);
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private admit(id: string): boolean {
    if (!this.closed) return true;
    const e = new WriteAfterClose(`write to run ${id} after the runner closed`);
    if (strictStates()) throw e;
    process.stderr.write(`millrace: internal: ${e.message} (ignored)\n`);
    return false;
  }

  private merge(id: string, patch: RunPatch): void {
    const prev = this.pending.get(id);
    this.pending.set(id, prev ? { ...prev, ...patch } : { ...patch });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size) return;
    const batch = [...this.pending];
    this.pending.clear();
    try {
      this.runs.updateMany(batch);
      this.failure = undefined;
    } catch (e) {
      // Put them back under anything written meanwhile: the newer patch wins per column.
      for (const [id, p] of batch) this.pending.set(id, { ...p, ...this.pending.get(id) });
      this.failure = e as Error;
      this.onFailure(e as Error);
      throw e;
    }
  }
}
