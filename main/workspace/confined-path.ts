// Paths a request names, confined to a folder: no '..', absolute path or symlink may lead outside
// it (a request for something elsewhere is answered as if nothing were there).
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { NotFoundError } from '../../shared/errors.js';

/** True when `child` is `parent` or inside it (both absolute). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `rel` under `root`, following symlinks, when it is a file or folder there (`kind`); else NotFound. */
export function confinedPath(root: string, rel: string, what: string, kind: 'file' | 'folder' = 'file'): string {
  const missing = () => new NotFoundError(`no ${what} '${rel}'`);
  if (rel.includes('\0') || isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) throw missing();
  const target = resolve(root, rel);
  if (!isInside(root, target) || !existsSync(target)) throw missing();
  const realRoot = realpathSync(root);
  const realTarget = realpathSync(target);
  const st = statSync(realTarget);
  if (!isInside(realRoot, realTarget) || (kind === 'file' ? !st.isFile() : !st.isDirectory())) throw missing();
  return realTarget;
}

/** A regular file `rel` under `root` (symlinks followed, never outside), or NotFound. */
export const confinedFile = (root: string, rel: string, what: string): string => confinedPath(root, rel, what, 'file');
