// A step's std_log.txt, followed while the step runs: read from the last offset every second
// (the server answers only what was appended), keep at most the last MAX_CHARS characters.
import type { ApiClient } from '../../../shared/api/client.js';
import type { ReusedFrom } from '../../../shared/types.js';
import { messageOf } from '../lib/api/api.js';

const MAX_CHARS = 2_000_000;
const FIRST_TAIL_LINES = 5000;

export class LogTail {
  text = $state('');
  error = $state<string | null>(null);
  /** The log shown is the one of an earlier run whose outputs were reused. */
  reusedFrom = $state.raw<ReusedFrom | null>(null);
  truncated = $state(false);
  loaded = $state(false);

  private offset: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly client: ApiClient,
    private readonly runId: string,
    private readonly step: string,
    private readonly pollMs = 1000,
  ) {}

  /** `live()` says whether to keep polling (the step is still running). */
  start(live: () => boolean): void {
    const tick = async () => {
      if (this.stopped) return;
      await this.poll();
      if (!this.stopped && live()) this.timer = setTimeout(tick, this.pollMs);
      else if (!this.stopped) await this.poll(); // one last read after the step ended
    };
    void tick();
  }

  async poll(): Promise<void> {
    try {
      const chunk = await this.client.call('runs/logs', {
        id: this.runId,
        step: this.step,
        ...(this.offset === undefined ? { tail: FIRST_TAIL_LINES } : { offset: this.offset }),
      });
      if (this.stopped) return;
      if (this.offset === undefined && chunk.offset > 0) this.truncated = true;
      this.offset = chunk.nextOffset;
      this.reusedFrom = chunk.reusedFromRun;
      if (chunk.text) {
        const text = this.text + chunk.text;
        this.text = text.length > MAX_CHARS ? text.slice(text.length - MAX_CHARS) : text;
      }
      this.error = null;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.loaded = true;
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
