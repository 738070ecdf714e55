// Which files under a watched datastore path count: the optional glob, minus hidden and temporary files.
import picomatch from 'picomatch';

// Editors, browsers and sync tools write into these names and rename when done; the final name is what counts.
const TEMP_SUFFIXES = ['~', '.tmp', '.temp', '.part', '.partial', '.crdownload', '.download', '.swp', '.swx'];

/** True for a path (relative, `/`-separated) with a hidden segment (`.git/`, `.~lock.x#`, rsync's `.x.AbC123`). */
export function isHiddenPath(relPath: string): boolean {
  return relPath.split('/').some((s) => s.startsWith('.'));
}

/**
 * A predicate on relative `/`-separated paths. A glob without `/` matches the file name at any depth
 * (`*.csv` matches `2026/06/a.csv`); one with `/` matches the whole relative path (`raw/**\/*.csv`).
 */
export function fileFilter(glob?: string): (relPath: string) => boolean {
  const matches = glob ? picomatch(glob, { basename: true, dot: false }) : () => true;
  return (relPath) => {
    if (isHiddenPath(relPath)) return false;
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    if (TEMP_SUFFIXES.some((s) => name.endsWith(s))) return false;
    return matches(relPath);
  };
}
