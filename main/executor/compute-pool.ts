// Slots of a compute target, shared by every run this process drives: max_concurrency holds
// across runs (a server running many submitted pipelines), not just within one. A slot is a
// lease: acquired before a step starts, released exactly once (in a `finally`). A lease also
// holds the step's cpus, memory and specific GPU ids (docs/compute.md); requests are granted in
// order, so a big step is never starved by small ones that keep arriving.

export interface SlotRequest {
  cpus: number;
  memoryMb: number;
  gpus: number;
}

/** What a pool offers; an absent resource is not counted. */
export interface PoolCapacity {
  slots: number;
  cpus?: number;
  memoryMb?: number;
  /** Device ids, handed out one by one. */
  gpus?: string[];
}

export interface Lease {
  /** The GPU ids this lease holds (CUDA_VISIBLE_DEVICES). */
  readonly gpus: string[];
  /** Gives the slot back; a second call does nothing. */
  release(): void;
}

const NOTHING: SlotRequest = { cpus: 0, memoryMb: 0, gpus: 0 };

interface Waiter {
  req: SlotRequest;
  grant(): void;
}

class Pool {
  running = 0;
  cpus = 0;
  memoryMb = 0;
  readonly heldGpus = new Set<string>();
  readonly waiting: Waiter[] = [];
  constructor(public cap: PoolCapacity) {}

  fits(r: SlotRequest): boolean {
    const c = this.cap;
    return (
      this.running < c.slots &&
      (c.cpus === undefined || this.cpus + r.cpus <= c.cpus) &&
      (c.memoryMb === undefined || this.memoryMb + r.memoryMb <= c.memoryMb) &&
      this.freeGpus().length >= r.gpus
    );
  }

  freeGpus(): string[] {
    return (this.cap.gpus ?? []).filter((g) => !this.heldGpus.has(g));
  }

  lease(r: SlotRequest): Lease {
    this.running++;
    this.cpus += r.cpus;
    this.memoryMb += r.memoryMb;
    const gpus = this.freeGpus().slice(0, r.gpus);
    for (const g of gpus) this.heldGpus.add(g);
    let held = true;
    return {
      gpus,
      release: () => {
        if (!held) return;
        held = false;
        this.running--;
        this.cpus -= r.cpus;
        this.memoryMb -= r.memoryMb;
        for (const g of gpus) this.heldGpus.delete(g);
        this.drain();
      },
    };
  }

  drain(): void {
    while (this.waiting.length && this.fits(this.waiting[0].req)) this.waiting.shift()!.grant();
  }
}

const pools = new Map<string, Pool>();

export function abortError(signal?: AbortSignal): Error {
  const e = new Error(signal?.reason instanceof Error ? signal.reason.message : 'aborted');
  e.name = 'AbortError';
  return e;
}

/** A request the pool could never grant, whatever ends. */
export class TooLarge extends Error {
  override readonly name = 'TooLarge';
}

export class ComputePool {
  private readonly pool: Pool;

  /** `key` names the slots (workspace + compute target): pools with one key share them. */
  constructor(key: string, capacity: number | PoolCapacity) {
    const cap = typeof capacity === 'number' ? { slots: capacity } : capacity;
    let p = pools.get(key);
    if (!p) pools.set(key, (p = new Pool(cap)));
    if (JSON.stringify(p.cap) !== JSON.stringify(cap)) {
      p.cap = cap;
      p.drain();
    }
    this.pool = p;
  }

  /**
   * A lease as soon as the slot and resources are free, in request order; rejects with an
   * AbortError when `signal` aborts first, or a TooLarge error for a request beyond the capacity.
   */
  acquire(signal?: AbortSignal, req: SlotRequest = NOTHING): Promise<Lease> {
    const p = this.pool;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const c = p.cap;
    if ((c.cpus !== undefined && req.cpus > c.cpus) || (c.memoryMb !== undefined && req.memoryMb > c.memoryMb) || req.gpus > (c.gpus ?? []).length) {
      return Promise.reject(new TooLarge('the step asks for more than its compute target has'));
    }
    if (!p.waiting.length && p.fits(req)) return Promise.resolve(p.lease(req));
    return new Promise<Lease>((resolve, reject) => {
      const onAbort = () => {
        const i = p.waiting.indexOf(w);
        if (i >= 0) p.waiting.splice(i, 1);
        reject(abortError(signal));
        p.drain(); // the head of the line may have blocked smaller requests behind it
      };
      const w: Waiter = {
        req,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(p.lease(req));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      p.waiting.push(w);
    });
  }

  /** A lease at once, even beyond the limit: for work that is already running (a re-attached Slurm job). */
  adopt(req: SlotRequest = NOTHING): Lease {
    return this.pool.lease(req);
  }

  get inUse(): number {
    return this.pool.running;
  }
}
