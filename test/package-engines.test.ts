// Bug 11 of issue 14: `npm install` warned EBADENGINE (Node >= 22.12) while package.json's engines
// said >= 20.19. What each part needs is stated: engines.node is what the CLI, serve and the studio
// need — every runtime dependency accepts it — and the desktop toolchain's higher floor is written
// in the README and docs/desktop.md.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/workspace.js';

const semver = createRequire(import.meta.url)('semver') as { minVersion(r: string): { version: string }; satisfies(v: string, r: string): boolean };
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; engines?: { node?: string } }> };
const floor = semver.minVersion(pkg.engines.node).version;
/** The Electron packaging toolchain: only `npm start` / `npm run dist` need it. */
const DESKTOP = /(^|\/)(electron|@electron\/[^/]+|@electron-internal\/[^/]+|node-abi)$/;

const needingMore = (dev: boolean) =>
  Object.entries(lock.packages)
    .filter(([path, p]) => path && !!p.dev === dev && p.engines?.node && !semver.satisfies(floor, p.engines.node))
    .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')} (${p.engines!.node})`);

describe('the Node.js requirement', () => {
  it(`every runtime dependency accepts engines.node's floor (${floor})`, () => {
    expect(needingMore(false)).toEqual([]);
  });

  it('only the desktop toolchain needs more, and the README and docs/desktop.md say how much', () => {
    const dev = needingMore(true);
    expect(dev.filter((d) => !DESKTOP.test(d.split(' ')[0]))).toEqual([]);
    const desktopFloor = Object.values(lock.packages)
      .flatMap((p) => (p.engines?.node && !semver.satisfies(floor, p.engines.node) ? [semver.minVersion(p.engines.node).version] : []))
      .sort((a, b) => (semver.satisfies(a, `>=${b}`) ? -1 : 1))[0];
    const shown = desktopFloor?.replace(/\.0$/, '');
    for (const doc of ['README.md', 'docs/desktop.md']) {
      const text = readFileSync(join(repoRoot, doc), 'utf8');
      expect(text, doc).toContain(`Node.js >= ${pkg.engines.node.replace(/^>=\s*/, '')}`);
      if (shown) expect(text, doc).toContain(`Node.js >= ${shown}`);
    }
  });
});
