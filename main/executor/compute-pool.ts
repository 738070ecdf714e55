// Slots of a compute target, shared by every run this process drives: max_concurrency holds
// across runs (a server running many submitted pipelines), not just within one.

type Waiter = { owner: object; start: () => void };

class Pool {
  running = 0;
  readonly waiting: Waiter[] = [];
  constructor(public max: number) {}
}

const pools = new Map<string, Pool>();

export class ComputePool {
  private readonly pool: Pool;

  constructor(key: string, max: number) {
    let p = pools.get(key);
    if (!p) pools.set(key, (p = new Pool(max)));
    p.max = max;
    this.pool = p;
  }

  /** Calls `start` as soon as a slot is free (now, or when another step releases one). */
  request(owner: object, start: () => void): void {
    if (this.pool.running < this.pool.max && !this.pool.waiting.length) {
      this.pool.running++;
      start();
    } else {
      this.pool.waiting.push({ owner, start });
    }
  }

  release(): void {
    this.pool.running--;
    this.drain();
  }

  /** Forget the queued requests of one owner (a canceled run); returns how many. */
  withdraw(owner: object): number {
    const before = this.pool.waiting.length;
    const keep = this.pool.waiting.filter((w) => w.owner !== owner);
    this.pool.waiting.splice(0, this.pool.waiting.length, ...keep);
    return before - keep.length;
  }

  private drain(): void {
    while (this.pool.running < this.pool.max && this.pool.waiting.length) {
      const w = this.pool.waiting.shift()!;
      this.pool.running++;
      w.start();
    }
  }
}
