// Files a caller names inside a folder: nothing outside it is reachable, not through '..', an
// absolute path or a symbolic link (a request for a file elsewhere is answered as if nothing were there).
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { NotFoundError } from '../../shared/errors.js';

/** True when `child` is `parent` or inside it (both absolute). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `rel` under `root`, following symlinks, or NotFound (a folder too with `allowDirectory`). */
export function confinedFile(root: string, rel: string, what: string, o: { allowDirectory?: boolean } = {}): string {
  const missing = () => new NotFoundError(`no ${what} '${rel}'`);
  if (rel.includes('\0') || isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) throw missing();
  const target = resolve(root, rel);
  if (!isInside(root, target) || !existsSync(target)) throw missing();
  const realRoot = realpathSync(root);
  const realTarget = realpathSync(target);
  const st = statSync(realTarget);
  if (!isInside(realRoot, realTarget) || !(st.isFile() || (o.allowDirectory && st.isDirectory()))) throw missing();
  return realTarget;
}
