// The load / error / notice pattern every page repeats (issue 11): a Loader holds what one call
// answered, its error and whether it is loading, dropping answers older than the newest request;
// act() runs an action, shows a notice (or the error) and reloads what it changed.
import { messageOf } from './api/api.js';
import { toasts as defaultToasts, type Toasts } from './toasts.svelte.js';

export class Loader<T> {
  value = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  private seq = 0;

  constructor(private readonly fetch: () => Promise<T>) {}

  /** Loads (again); an answer that arrives after a newer request's is dropped. */
  async load(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const v = await this.fetch();
      if (seq !== this.seq) return;
      this.value = v;
      this.error = null;
    } catch (e) {
      if (seq === this.seq) this.error = messageOf(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Forget answers still on their way (the page is gone). */
  dispose(): void {
    this.seq++;
  }
}

/**
 * Runs `action`; on success shows `done` (a text, or made from the result) and calls `after` (a
 * reload); on failure shows the error. Resolves to whether it succeeded.
 */
export async function act<R>(done: string | ((r: R) => string), action: () => Promise<R>, after?: () => unknown, notices: Pick<Toasts, 'show'> = defaultToasts): Promise<boolean> {
  let result: R;
  try {
    result = await action();
  } catch (e) {
    notices.show(messageOf(e), 'error');
    return false;
  }
  notices.show(typeof done === 'function' ? done(result) : done);
  await after?.();
  return true;
}
