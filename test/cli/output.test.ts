// `runs show` as text: a series is shown by its summary (the record no longer holds its points).
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/types.js';
import { describeRun } from '../../main/cli/output.js';

describe('describeRun', () => {
  it("shows a series' last value, count and range, and a value logged once as itself", () => {
    const run = {
      id: 'r1', experiment: 'e', pipeline: 'p', pipelineFile: null, status: 'Completed', parameters: {}, trigger: { kind: 'cli' },
      createdAt: '2026-01-01T00:00:00.000Z', durationMs: 1200, error: null, metrics: { best: 0.93 },
      steps: [{ name: 'train', status: 'Completed', durationMs: 1000, reusedFrom: null, error: null, metrics: { loss: { count: 100000, last: 0.00001, min: 0.00001, max: 1 }, notes: { count: 2, last: 'done', min: null, max: null } } }],
    } as unknown as RunRecord;
    const text = describeRun(run);
    expect(text).toMatch(/train +loss +0\.00001 \(last of 100000, min 0\.00001, max 1\)/);
    expect(text).toMatch(/train +notes +"done" \(last of 2\)/);
    expect(text).toMatch(/\(run\) +best +0\.93/);
  });
});
