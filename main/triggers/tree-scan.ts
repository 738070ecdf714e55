// Listing the files under a folder for the reconciliation scan (watcher events are only hints).
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isHiddenPath } from './file-filter.js';

/**
 * Relative `/`-separated paths of the regular files under `root` (symlinks to files included), skipping hidden
 * folders and not following symlinked folders, as the watcher does. A missing root has no files.
 */
export async function* listFiles(root: string, rel = ''): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(rel ? join(root, rel) : root, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // removed while we looked, or not there yet
    throw e;
  }
  for (const d of entries) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (isHiddenPath(d.name)) continue;
    if (d.isDirectory()) yield* listFiles(root, r);
    else if (d.isFile()) yield r;
    else if (d.isSymbolicLink() && (await stat(join(root, r)).catch(() => null))?.isFile()) yield r;
  }
}
