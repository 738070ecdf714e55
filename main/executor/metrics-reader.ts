// Reads the JSON-lines metrics file a step appends to (docs/run-context.md), incrementally.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { METRIC_KINDS, type MetricKind } from '../../shared/constants.js';
import type { NewMetric } from '../store/metric-store.js';

export interface MetricBatch {
  metrics: NewMetric[];
  /** `run.fail(...)`: a record of kind `status` with value Failed (docs/run-context.md). */
  failed?: string;
  tags: { parent: boolean; key: string; value: string | null }[];
  problems: string[];
}

const CHUNK = 1 << 20;

export class MetricsReader {
  private offset = 0;
  private lineNo = 0;
  private carry = '';
  /** Keeps a multi-byte character split across two reads whole. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly file: string,
    private readonly runId: string,
    private readonly parentRunId: string,
  ) {}

  /** Everything appended since the last call; a trailing partial line waits for the next call (or `final`). */
  read(final = false): MetricBatch {
    const out: MetricBatch = { metrics: [], tags: [], problems: [] };
    // Most steps log nothing: asking first is several times cheaper than a failed open's exception.
    if (this.offset === 0 && !existsSync(this.file)) return out;
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return out; // nothing logged yet
    }
    try {
      const size = fstatSync(fd).size;
      if (size > this.offset) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - this.offset));
        while (this.offset < size) {
          const n = readSync(fd, buf, 0, Math.min(buf.length, size - this.offset), this.offset);
          if (n <= 0) break;
          this.offset += n;
          const text = this.carry + this.decoder.write(buf.subarray(0, n));
          const lines = text.split('\n');
          this.carry = lines.pop() ?? '';
          for (const line of lines) this.parse(line, out);
        }
      }
      // Not skipped when nothing new arrived: an unterminated last line read by an earlier
      // call is still waiting in `carry`.
      if (final) {
        const rest = this.carry + this.decoder.end();
        this.carry = '';
        if (rest) this.parse(rest, out);
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }

  private parse(line: string, out: MetricBatch): void {
    this.lineNo++;
    if (!line.trim()) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch {
      out.problems.push(`metrics file line ${this.lineNo}: not valid JSON`);
      return;
    }
    if (!o || typeof o !== 'object' || typeof o.name !== 'string' || !o.name) {
      out.problems.push(`metrics file line ${this.lineNo}: expected an object with a non-empty "name"`);
      return;
    }
    const kind = (o.kind ?? 'scalar') as string;
    const parent = o.parent === true;
    if (kind === 'status') {
      if (o.value === 'Failed') out.failed = typeof o.error === 'string' && o.error ? o.error : 'the step reported itself failed (run.fail)';
      return;
    }
    if (kind === 'tag') {
      out.tags.push({ parent, key: o.name, value: o.value == null ? null : String(o.value) });
      return;
    }
    if (!(METRIC_KINDS as readonly string[]).includes(kind)) {
      out.problems.push(`metrics file line ${this.lineNo}: unknown kind '${kind}'`);
      return;
    }
    out.metrics.push({
      runId: parent ? this.parentRunId : this.runId,
      name: o.name,
      kind: kind as MetricKind,
      step: Number.isInteger(o.step) ? (o.step as number) : null,
      value: o.value ?? null,
      description: typeof o.description === 'string' && o.description ? o.description : null,
      ts: typeof o.ts === 'number' ? o.ts : Date.now(),
    });
  }
}
