// The running triggers of the scheduler, keyed by schedule id: a schedule never runs two triggers at once.
export class TriggerRegistry<T> {
  private readonly items = new Map<string, T>();

  add(id: string, item: T): void {
    if (this.items.has(id)) throw new Error(`a trigger for schedule ${id} is already running`);
    this.items.set(id, item);
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** Removes and returns it (for its disposer); undefined when none was running. */
  remove(id: string): T | undefined {
    const item = this.items.get(id);
    this.items.delete(id);
    return item;
  }

  entries(): [string, T][] {
    return [...this.items];
  }

  clear(): T[] {
    const all = [...this.items.values()];
    this.items.clear();
    return all;
  }
}
