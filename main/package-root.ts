import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder of Millrace's own package.json, from source (tests) and from dist/ alike. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === 'millrace') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the millrace package root');
    dir = up;
  }
}

/** Folder holding the `millrace` Python module put on every step's PYTHONPATH. */
export const pythonRuntimeDir = (): string => join(packageRoot(), 'main', 'runtime', 'python');
