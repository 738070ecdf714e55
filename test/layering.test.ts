// The layering of DESIGN.md section 9 is checked by dependency-cruiser (.dependency-cruiser.cjs),
// in `npm test` (scripts/test.mjs) and here: the tree is clean, and every rule fires on a small
// tree that breaks it (test/fixtures/layering), so a rule that matches nothing cannot pass unseen.
import { cruise } from 'dependency-cruiser';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/workspace.js';

const config = createRequire(import.meta.url)(join(repoRoot, '.dependency-cruiser.cjs'));

async function violations(baseDir: string, roots: string[]): Promise<{ rule: string; from: string; to: string }[]> {
  const r = await cruise(roots, { ...config.options, ruleSet: { forbidden: config.forbidden }, baseDir, validate: true });
  const out = typeof r.output === 'string' ? JSON.parse(r.output) : r.output;
  return out.summary.violations.map((v: { rule: { name: string }; from: string; to: string }) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('layering (dependency-cruiser)', () => {
  it('the tree has no violation and no cycle', async () => {
    expect(await violations(repoRoot, ['main', 'shared', 'renderer/src'])).toEqual([]);
  }, 120_000);

  it('each rule catches a tree that breaks it', async () => {
    const found = await violations(join(repoRoot, 'test', 'fixtures', 'layering'), ['main', 'shared', 'renderer']);
    const rules = new Set(found.map((v) => v.rule));
    for (const rule of ['no-circular', 'shared-no-node', 'renderer-only-shared', 'domain-not-core-or-transports', 'workspace-is-the-base', 'store-is-sql-only', 'transports-not-each-other']) {
      expect(rules, `${rule}: ${JSON.stringify(found)}`).toContain(rule);
    }
  }, 120_000);
});
