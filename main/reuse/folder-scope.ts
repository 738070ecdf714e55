// Folders too broad to be a step's code or input: each is hashed and snapshotted file by file, so
// `source_directory: /` would read the whole file system (150 s, 646 MB, then SIGBUS) and the
// home folder or a folder holding the workspace nearly as much, the workspace's own runs included.
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

const real = (p: string): string => (existsSync(p) ? realpathSync(p) : resolve(p));

/** True when `child` is `parent` or inside it. */
function within(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Why `folder` may not be a source directory or an input, or undefined when it may. Symlinks
 * are followed: a link to `/` is the root.
 */
export function tooBroad(folder: string, workspaceDir: string, home: string = homedir()): string | undefined {
  const f = real(folder);
  if (dirname(f) === f) return 'is the file system root';
  if (home && f === real(home)) return 'is your home folder';
  if (within(f, real(workspaceDir))) return f === real(workspaceDir) ? 'is the workspace folder' : `contains the workspace ${workspaceDir}`;
  return undefined;
}

/** The message that names the step and the field. */
export function tooBroadMessage(where: string, folder: string, why: string): string {
  return `${where} ${folder} ${why}; every file in it would be hashed and copied for each run. Point it at the folder that holds just what the step needs`;
}
