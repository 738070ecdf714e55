// A changed code file as a unified diff, from the two content-addressed snapshots that hold it
// (main/snapshots/code-snapshot.ts). Only text files under 1 MiB whose versions both still exist.
import { closeSync, openSync, readSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { snapshotDir } from '../snapshots/code-snapshot.js';

// Loaded on first use: only `runs why` diffs code (issue 13: start-up of every other command).
const load = createRequire(import.meta.url);
let diffLib: typeof import('diff') | undefined;
const createTwoFilesPatch = (oldName: string, newName: string, a: string, b: string, oldHeader: string, newHeader: string): string =>
  (diffLib ??= load('diff') as typeof import('diff')).createTwoFilesPatch(oldName, newName, a, b, oldHeader, newHeader);

export const DIFF_MAX_BYTES = 1024 * 1024;

/** The file's text, or undefined when it is gone, too big or binary (a NUL in its first 8 KiB, as git decides). */
function textOf(path: string): string | undefined {
  try {
    if (statSync(path).size >= DIFF_MAX_BYTES) return undefined;
    const fd = openSync(path, 'r');
    const head = Buffer.alloc(8192);
    let n: number;
    try {
      n = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    if (head.subarray(0, n).includes(0)) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `rel` of snapshot `from` against snapshot `to` (null: the file is absent on that side); undefined when no diff can be given. */
export function codeFileDiff(workspaceDir: string, rel: string, from: string | null, to: string | null, labels: [string, string]): string | undefined {
  const read = (snap: string | null) => (snap ? textOf(join(snapshotDir(workspaceDir, snap), rel)) : '');
  const a = read(from);
  const b = read(to);
  if (a === undefined || b === undefined) return undefined;
  // Without the "=====" line jsdiff puts first: the diff as git shows it.
  return createTwoFilesPatch(from ? `a/${rel}` : '/dev/null', to ? `b/${rel}` : '/dev/null', a, b, labels[0], labels[1]).replace(/^=+\n/, '');
}
