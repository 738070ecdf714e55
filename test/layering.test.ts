// DESIGN.md section 9's dependency rule, checked: renderer -> shared, main -> shared; never
// renderer -> main, shared -> anything (no Node built-ins either), electron only in main/electron.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/workspace.js';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|cts|mts|svelte)$/.test(name)) out.push(p);
  }
  return out;
}

const imports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);

/** Top-level folder an import lands in, for relative imports. */
const layerOf = (file: string, spec: string): string | undefined =>
  spec.startsWith('.') ? relative(repoRoot, resolve(dirname(file), spec)).split(/[\\/]/)[0] : undefined;

describe('layering', () => {
  it('shared/ imports nothing from main/ or renderer/, and no Node built-ins', () => {
    const bad = sources(join(repoRoot, 'shared')).flatMap((f) =>
      imports(f)
        .filter((s) => ['main', 'renderer'].includes(layerOf(f, s) ?? '') || s.startsWith('node:') || s === 'electron')
        .map((s) => `${relative(repoRoot, f)} -> ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('renderer/src imports nothing from main/ (vite.config.ts is build tooling, run by Node)', () => {
    const bad = sources(join(repoRoot, 'renderer', 'src')).flatMap((f) =>
      imports(f).filter((s) => layerOf(f, s) === 'main' || s === 'electron' || s.startsWith('node:')).map((s) => `${relative(repoRoot, f)} -> ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('only main/electron/ imports electron', () => {
    const bad = sources(join(repoRoot, 'main'))
      .filter((f) => !relative(repoRoot, f).startsWith(join('main', 'electron')))
      .flatMap((f) => imports(f).filter((s) => s === 'electron' || s.startsWith('electron/')).map((s) => `${relative(repoRoot, f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  it('the check sees imports at all', () => {
    expect(imports(join(repoRoot, 'main', 'cli', 'main.ts'))).toContain('commander');
  });
});
