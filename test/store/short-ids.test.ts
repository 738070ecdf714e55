// Bug 2 of issue 14: the short run ids lists show are the shortest prefix unique among every run
// row (step runs included, as git abbreviates), never fewer than 8 characters, and resolve back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRunId } from '../../main/store/ids.js';
import { Store } from '../../main/store/store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-short-'));
  store = Store.open(join(dir, 'millrace.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A pipeline run with two step runs, ids made as the engine makes them (same millisecond: same prefix). */
function burst(n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = newRunId();
    ids.push(id);
    store.runs.createPipelineRun({
      id, experiment: 'e', pipelineName: 'p', pipelineFile: null, parameters: {}, definition: {}, trigger: { kind: 'rest', token: 't' }, owner: null,
      steps: [0, 1].map((k) => ({ id: newRunId(), name: `s${k}`, displayName: `s${k}`, seq: k, definition: {} })),
    });
  }
  return ids;
}

describe('short run ids', () => {
  it('are unique among all runs and steps of a burst of submits, at least 8 characters, and resolve back', () => {
    const ids = burst(50);
    const page = store.runQueries.page({ limit: 50, offset: 0 });
    const shorts = page.items.map((r) => r.shortId);
    expect(new Set(shorts).size).toBe(50);
    const all = store.rawConnection().prepare('SELECT id FROM runs').pluck().all() as string[];
    expect(all.length).toBe(150);
    for (const r of page.items) {
      expect(r.shortId.length).toBeGreaterThanOrEqual(8);
      expect(r.id.startsWith(r.shortId)).toBe(true);
      // Exactly one row, step runs included, starts with it.
      expect(all.filter((x) => x.startsWith(r.shortId))).toEqual([r.id]);
      expect(store.runs.resolveId(r.shortId)).toBe(r.id);
      expect(store.runs.get(r.id).shortId).toBe(r.shortId);
    }
    expect(ids.sort()).toEqual(page.items.map((r) => r.id).sort());
  });

  it('stay at 8 characters where 8 already tell runs apart, and are never upper-cased', () => {
    const [id] = burst(1);
    const other = 'zzzzzzzzz00aaaaaa';
    store.runs.createPipelineRun({ id: other, experiment: 'e', pipelineName: 'p', pipelineFile: null, parameters: {}, definition: {}, trigger: { kind: 'cli' }, owner: null, steps: [] });
    expect(store.runs.get(other).shortId).toBe('zzzzzzzz');
    expect(store.runs.get(id).shortId).toBe(store.runs.get(id).shortId.toLowerCase());
  });
});

describe('a reused step run', () => {
  it('names the pipeline run and the step it reused (bug 3: links pointed at a step-run id)', () => {
    const [first, second] = burst(2);
    const reusedStep = store.runs.get(first).steps[1];
    const target = store.runs.get(second).steps[1];
    store.runs.update(target.id, { status: 'Completed', reused_from: reusedStep.id });
    const step = store.runs.get(second).steps[1];
    expect(step.reusedFrom).toBe(reusedStep.id);
    expect(step.reusedFromRun).toEqual({ id: first, shortId: store.runs.get(first).shortId, step: 's1' });
    expect(store.runs.get(second).steps[0].reusedFromRun).toBeNull();
  });
});
