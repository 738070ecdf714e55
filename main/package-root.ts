import { existsSync, readFileSync, statSync } from 'node:fs';
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

/**
 * A path inside the package as other processes must see it: in the packaged desktop app the
 * package is an asar archive that only Electron can read; its asarUnpack files (electron.config.ts)
 * are in the `.asar.unpacked` folder next to it.
 */
export const unpackedPath = (p: string): string => p.replace(/([\\/])app\.asar([\\/]|$)/, '$1app.asar.unpacked$2');

/** Folder holding the `millrace` Python module put on every step's PYTHONPATH. */
export const pythonRuntimeDir = (): string => unpackedPath(join(packageRoot(), 'main', 'runtime', 'python'));

let version: string | undefined;
/** The version in Millrace's package.json. */
export const millraceVersion = (): string => (version ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string);

let build: string | undefined;
/**
 * Millrace's version and when this build was made (tsc and the bundler write every file of a
 * build): what caches of validated files are keyed by, so a new build validates afresh.
 */
export function millraceBuild(): string {
  if (build) return build;
  let built = 0;
  try {
    built = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    /* a key without it still changes with the version and the text */
  }
  return (build = `${millraceVersion()}@${built}`);
}
