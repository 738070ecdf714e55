// A step's std_log.txt, read in bounded memory: its last N lines (scanned backwards in chunks)
// or a byte range from an offset. The CLI's `runs logs` and the API's `runs/logs` both read
// through here, so a 2 GB log costs them a few chunks, never the whole file.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StepRecord } from '../../shared/types.js';
import type { Workspace } from '../workspace/workspace.js';

/** What a read returns: `text` holds bytes [offset, nextOffset) of a file of `size` bytes. */
export interface LogText {
  size: number;
  offset: number;
  nextOffset: number;
  text: string;
}

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/** A step's log file; a reused step's log is the one of the step run it reused. */
export function stepLogPath(ws: Workspace, runId: string, step: Pick<StepRecord, 'name' | 'reusedFrom'>): string {
  // The reused step run may belong to another pipeline, under another step id (reuse across front doors).
  const source = step.reusedFrom ? ws.store.runs.state(step.reusedFrom) : undefined;
  if (source?.parentId) return join(ws.runDir(source.parentId), source.name, 'std_log.txt');
  return join(ws.runDir(runId), step.name, 'std_log.txt');
}

/** Byte size of a regular file; 0 when it is missing (a step that has not written yet) or not a file. */
function fileSize(path: string): number {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

function readAt(fd: number, start: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let n = 0;
  while (n < length) {
    const got = readSync(fd, buf, n, length - n, start + n);
    if (got === 0) break;
    n += got;
  }
  return buf.subarray(0, n);
}

/** Bytes [0, cut) hold whole UTF-8 characters: cut before a trailing partial one (it comes with the next read). */
function wholeCharsEnd(buf: Buffer): number {
  let i = buf.length - 1;
  while (i >= 0 && i >= buf.length - 4 && (buf[i] & 0xc0) === 0x80) i--;
  if (i < 0) return buf.length;
  const lead = buf[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - i >= need ? buf.length : i;
}

/** Index of the first byte that starts a UTF-8 character (skips continuation bytes of a cut one). */
function wholeCharsStart(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && i < 3 && (buf[i] & 0xc0) === 0x80) i++;
  return i;
}

/**
 * The last `lines` lines, at most `maxBytes` bytes of them: when the lines are longer, the
 * text starts at the first line that begins inside the last `maxBytes` bytes (or, for one
 * line longer than that, at a character boundary inside it). Memory: one chunk while
 * scanning, then the text.
 */
export function readLogTail(path: string, lines: number, maxBytes: number): LogText {
  const size = fileSize(path);
  if (size === 0 || lines <= 0) return { size, offset: size, nextOffset: size, text: '' };
  const fd = openSync(path, 'r');
  try {
    // A final newline ends the last line; it does not start another.
    const scanEnd = readAt(fd, size - 1, 1)[0] === NEWLINE ? size - 1 : size;
    const floor = Math.max(0, size - maxBytes);
    let start = floor;
    let found = 0;
    scan: for (let pos = scanEnd; pos > floor; ) {
      const len = Math.min(CHUNK, pos - floor);
      pos -= len;
      const buf = readAt(fd, pos, len);
      for (let i = buf.length - 1; i >= 0; i--) {
        if (buf[i] === NEWLINE && ++found === lines) {
          start = pos + i + 1;
          break scan;
        }
      }
    }
    const buf = readAt(fd, start, size - start);
    let skip = 0;
    if (found < lines && start > 0) {
      // Cut by maxBytes: start at a whole line when the window holds one, else at a whole character.
      const nl = buf.indexOf(NEWLINE);
      skip = nl >= 0 && nl < buf.length - 1 ? nl + 1 : wholeCharsStart(buf);
    }
    return { size, offset: start + skip, nextOffset: size, text: buf.subarray(skip).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** At most `maxBytes` bytes from `offset`, ending on a whole UTF-8 character (follow with nextOffset). */
export function readLogRange(path: string, offset: number, maxBytes: number): LogText {
  const size = fileSize(path);
  const from = Math.min(offset, size);
  const len = Math.min(size - from, maxBytes);
  if (len <= 0) return { size, offset: from, nextOffset: from, text: '' };
  const fd = openSync(path, 'r');
  try {
    let buf = readAt(fd, from, len);
    let cut = from + buf.length < size ? wholeCharsEnd(buf) : buf.length;
    // maxBytes smaller than the character at `from`: return that one character, so a reader always moves on.
    if (cut === 0) {
      buf = readAt(fd, from, Math.min(4, size - from));
      cut = wholeCharsEnd(buf) || buf.length;
    }
    return { size, offset: from, nextOffset: from + cut, text: buf.subarray(0, cut).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
