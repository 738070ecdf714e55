import { randomBytes } from 'node:crypto';

let last = 0;
let counter = 0;

/**
 * Run ids sort by creation time and are short enough to type a prefix of:
 * 9 base36 chars of milliseconds, 2 of a per-millisecond counter, 6 random.
 */
export function newRunId(): string {
  const now = Date.now();
  counter = now === last ? counter + 1 : 0;
  last = now;
  const rnd = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0').slice(-6);
  return `${now.toString(36).padStart(9, '0')}${counter.toString(36).padStart(2, '0')}${rnd}`;
}
