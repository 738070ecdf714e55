// Dataset and input paths with globs (docs/bridge.md "Shared rules"): a path is split at '/'; the
// segments before the first one holding `*`, `?` or `[` are its fixed prefix. `*` matches within a
// segment, `?` one character, `[...]`/`[!...]` a set (Python's fnmatch.fnmatchcase, case-sensitive),
// a `**` segment any depth (zero too). A segment starting with '.' never matches (hidden files
// and folders). A matched folder stands for every non-hidden file under it. Results are sorted.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One fnmatch segment as a regular expression (as Python's fnmatch.translate, per segment). */
export function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let set = segment.slice(i + 1, end);
      const negate = set.startsWith('!');
      if (negate) set = set.slice(1);
      re += `[${negate ? '^' : ''}${set.replace(/\\/g, '\\\\').replace(/^\^/, '\\^')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export const hasGlob = (path: string): boolean => /[*?[]/.test(path);

/** The fixed prefix (relative, '/'-separated, '' for the root) and the glob segments after it. */
export function splitGlob(path: string): { prefix: string; rest: string[] } {
  const segs = path.split('/').filter((s) => s !== '' && s !== '.');
  const i = segs.findIndex(hasGlob);
  return i < 0 ? { prefix: segs.join('/'), rest: [] } : { prefix: segs.slice(0, i).join('/'), rest: segs.slice(i) };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Every non-hidden file under `dir` (absolute paths). */
function filesUnder(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory() || (e.isSymbolicLink() && isDir(p))) filesUnder(p, out);
    else out.push(p);
  }
}

/**
 * The files a path names under `root` (a datastore folder): a file itself, a folder's files, or
 * what a glob matches. `fixed` is the absolute fixed prefix the files' relative paths start from.
 */
export function matchFiles(root: string, path: string): { fixed: string; files: string[] } {
  const { prefix, rest } = splitGlob(path);
  const fixed = prefix ? join(root, prefix) : root;
  const out: string[] = [];
  const walk = (dir: string, segs: string[]) => {
    if (!segs.length) {
      if (isDir(dir)) filesUnder(dir, out);
      else out.push(dir);
      return;
    }
    const [head, ...tail] = segs;
    if (!isDir(dir)) return;
    if (head === '**') {
      walk(dir, tail); // zero segments
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name.startsWith('.')) continue;
        const p = join(dir, e.name);
        if (e.isDirectory() || (e.isSymbolicLink() && isDir(p))) walk(p, segs);
      }
      return;
    }
    const re = segmentRegex(head);
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || !re.test(e.name)) continue;
      walk(join(dir, e.name), tail);
    }
  };
  try {
    if (rest.length) walk(fixed, rest);
    else if (isDir(fixed)) filesUnder(fixed, out);
    else statSync(fixed) && out.push(fixed);
  } catch {
    /* nothing there */
  }
  return { fixed, files: [...new Set(out)].sort() };
}
