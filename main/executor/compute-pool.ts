// Slots of a compute target, shared by every run this process drives: max_concurrency holds
// across runs (a server running many submitted pipelines), not just within one. A slot is a
// lease: acquired before a step starts, released exactly once (in a `finally`).

export interface Lease {
  /** Gives the slot back; a second call does nothing. */
  release(): void;
}

interface Waiter {
  grant(): void;
}

class Pool {
  running = 0;
  readonly waiting: Waiter[] = [];
  constructor(public max: number) {}

  lease(): Lease {
    this.running++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.running--;
        this.drain();
      },
    };
  }

  drain(): void {
    while (this.running < this.max && this.waiting.length) this.waiting.shift()!.grant();
  }
}

const pools = new Map<string, Pool>();

export function abortError(signal?: AbortSignal): Error {
  const e = new Error(signal?.reason instanceof Error ? signal.reason.message : 'aborted');
  e.name = 'AbortError';
  return e;
}

export class ComputePool {
  private readonly pool: Pool;

  /** `key` names the slots (workspace + compute target): pools with one key share them. */
  constructor(key: string, max: number) {
    let p = pools.get(key);
    if (!p) pools.set(key, (p = new Pool(max)));
    if (p.max !== max) {
      p.max = max;
      p.drain();
    }
    this.pool = p;
  }

  /** A lease as soon as a slot is free, in request order; rejects with an AbortError when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<Lease> {
    const p = this.pool;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (p.running < p.max && !p.waiting.length) return Promise.resolve(p.lease());
    return new Promise<Lease>((resolve, reject) => {
      const onAbort = () => {
        const i = p.waiting.indexOf(w);
        if (i >= 0) p.waiting.splice(i, 1);
        reject(abortError(signal));
      };
      const w: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(p.lease());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      p.waiting.push(w);
    });
  }

  get inUse(): number {
    return this.pool.running;
  }
}
