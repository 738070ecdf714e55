// `millrace runs why`, `gc` and `lineage` as a real child process on the sample (`npm run build` first).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/workspace.js';

let root: string;
let dir: string;
let first: { id: string; steps: { name: string; outputs: Record<string, string> }[] };
let second: { id: string };
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'millrace-cli-'));
  dir = join(root, 'ws');
  expect(cli(['init', dir]).status).toBe(0);
  const run = (...extra: string[]) => {
    const r = cli(['run', 'pipelines/sample.yml', '-w', dir, '--json', ...extra]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  first = run();
  second = run('-p', 'reg_rate=0.1');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('millrace runs why / gc / lineage', () => {
  it('runs why says why a step ran, in words', () => {
    const r = cli(['runs', 'why', second.id.slice(0, 10), 'train_model', '-w', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Step train_model of run ${second.id}  Completed`);
    expect(r.stdout).toContain('    - allow_reuse: false\n    - parameter reg_rate: 0.01 → 0.1\n');
    expect(r.stdout).toContain(`compared with  run ${first.id} step train_model`);
    const j = cli(['runs', 'why', second.id, 'prepare_data', '-w', dir, '--json']);
    expect(j.status, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ outcome: 'reused', reasons: [], candidate: { runId: first.id, step: 'prepare_data' } });
    const bad = cli(['runs', 'why', second.id, 'nope', '-w', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("has no step 'nope'");
  });

  it('lineage names the run that made an output and the step that read it', () => {
    const folder = first.steps.find((s) => s.name === 'prepare_data')!.outputs.prepped;
    const r = cli(['lineage', folder, '-w', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const l = JSON.parse(r.stdout);
    expect(l.producer).toMatchObject({ runId: first.id, step: 'prepare_data', output: 'prepped' });
    expect(l.consumers.map((c: { step: string; runId: string }) => [c.step, c.runId])).toEqual([['train_model', first.id], ['train_model', second.id]]);
    const h = cli(['lineage', folder, '-w', dir]);
    expect(h.stdout).toContain(`  made by     run ${first.id} (training-pipeline, experiment 'training-pipeline'), step prepare_data, output prepped  Completed`);
  });

  it('gc --dry-run lists, gc deletes the same, records stay', () => {
    const dry = cli(['gc', '--keep-last', '1', '--dry-run', '-w', dir, '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan.runs.map((e: { runId: string }) => e.runId)).toEqual([first.id]);
    // Its run folder only: the second run reused its prepare_data output, which stays.
    expect(plan.paths).toEqual([join(dir, 'runs', first.id)]);
    const human = cli(['gc', '--keep-last', '1', '--dry-run', '-w', dir]);
    expect(human.stdout).toContain('Would delete 1 folder of 1 run');
    const real = cli(['gc', '--keep-last', '1', '-w', dir, '--json']);
    expect(JSON.parse(real.stdout).paths).toEqual(plan.paths);
    expect(plan.paths.some((p: string) => existsSync(p))).toBe(false);
    expect(cli(['runs', 'show', first.id, '-w', dir]).status).toBe(0);
    const bad = cli(['gc', '--older-than', 'soon', '-w', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--older-than: expected a number and a unit");
  });
});
