// `gc` (docs/reuse.md) on real runs: the dry run lists exactly what gc deletes, records stay, reuse
// goes on from what was kept, a policy decides alone, and a run still going is never touched.
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { submitRun } from '../../main/executor/submit.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { coreCaller, rejection } from '../helpers/core.js';
import { execConfig, runPipeline, sh, step, writePipeline } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace;
let file: string;
let failing: string;
beforeEach(() => {
  tmp = tempWorkspace(execConfig(2));
  ws = tmp.open();
  file = writePipeline(tmp, 'p', {
    parameters: { x: { type: 'string', default: '1' } },
    steps: {
      a: { type: 'command', outputs: { o: {} }, command: sh('echo "$1" > "$0/a.txt"', '${{outputs.o}}', '${{parameters.x}}') },
      b: { type: 'command', inputs: { i: '${{steps.a.outputs.o}}' }, outputs: { o: {} }, command: sh('cp "$1/a.txt" "$0/b.txt"', '${{outputs.o}}', '${{inputs.i}}') },
    },
  });
  failing = writePipeline(tmp, 'f', { steps: { bad: { type: 'command', outputs: { o: {} }, command: sh('echo partial > "$0/x"; exit 3', '${{outputs.o}}') } } });
});
afterEach(() => {
  ws.close();
  tmp.cleanup();
});

const call = () => coreCaller(ws, { kind: 'cli', user: null });
const folders = (r: Awaited<ReturnType<typeof runPipeline>>) => [ws.runDir(r.runId), ...r.rec.steps.filter((s) => !s.reusedFrom).flatMap((s) => Object.values(s.outputs))];

describe('gc', () => {
  it('deletes exactly what the dry run listed: superseded and failed runs, never a record; reuse goes on from what was kept', async () => {
    const r1 = await runPipeline(ws, file);
    const r2 = await runPipeline(ws, file, { regenerateOutputs: true }); // same keys, newer: r1 no longer needed
    const r3 = await runPipeline(ws, failing);
    expect(r3.status).toBe('Failed');
    const r4 = await runPipeline(ws, file, { parameters: { x: '2' } });
    const dry = await call()('workspace/gc', { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.runs.map((e) => [e.runId, e.reason])).toEqual([
      [r1.runId, 'not needed for reuse (a newer run has the same results)'],
      [r3.runId, 'not needed for reuse (Failed)'],
    ]);
    expect([...dry.paths].sort()).toEqual([...folders(r1), ...folders(r3)].sort());
    expect(dry.paths.every((p) => existsSync(p))).toBe(true); // nothing deleted yet
    expect(dry.bytes).toBeGreaterThan(0);

    const real = await call()('workspace/gc', {});
    expect(real.paths).toEqual(dry.paths);
    expect(real.paths.some((p) => existsSync(p))).toBe(false);
    for (const r of [r2, r4]) expect(folders(r).every((p) => existsSync(p))).toBe(true);
    // Records stay, their outputs marked deleted.
    expect(ws.store.runs.get(r1.runId).steps.map((s) => s.status)).toEqual(['Completed', 'Completed']);
    expect(ws.store.reuse.step(step(r1.rec, 'a').id)!.outputsDeletedAt).not.toBeNull();
    expect(ws.store.reuse.step(step(r2.rec, 'a').id)!.outputsDeletedAt).toBeNull();
    // Nothing left to delete; a new run reuses what was kept.
    expect((await call()('workspace/gc', { dryRun: true })).runs).toEqual([]);
    const r5 = await runPipeline(ws, file);
    expect(r5.rec.steps.map((s) => s.reusedFrom)).toEqual([step(r2.rec, 'a').id, step(r2.rec, 'b').id]);
  });

  it('with a policy, keeps what it keeps and lets the rest go, reuse sources too; never a run still going', async () => {
    const r1 = await runPipeline(ws, file);
    const r2 = await runPipeline(ws, file, { parameters: { x: '2' } });
    const r3 = await runPipeline(ws, failing);
    const dry = await call()('workspace/gc', { keepLast: 1, dryRun: true });
    expect(dry.runs.map((e) => [e.runId, e.reason])).toEqual([[r1.runId, 'outside the retention policy']]);
    const pending = submitRun(ws, file, { trigger: { kind: 'cli' }, parameters: { x: '3' } }); // never started: NotStarted
    const none = await call()('workspace/gc', { keepLast: 0, olderThan: '1d', dryRun: true });
    expect(none.runs).toEqual([]); // all newer than a day
    const all = await call()('workspace/gc', { keepLast: 0 });
    expect(all.runs.map((e) => e.runId).sort()).toEqual([r1.runId, r2.runId, r3.runId].sort());
    expect(all.runs.map((e) => e.runId)).not.toContain(pending.runId);
    const r4 = await runPipeline(ws, file, { parameters: { x: '2' } });
    expect(r4.rec.steps.map((s) => s.reusedFrom)).toEqual([null, null]); // its source's outputs are gone
    const w = await call()('runs/why', { id: r4.runId, step: 'a' });
    expect(w.candidate!.runId).toBe(r2.runId);
    expect(w.reasons.map((x) => x.text)).toEqual(['outputs of the candidate were deleted (output o)']);
  });

  it('refuses a token caller anything but a dry run, and says what a bad age is', async () => {
    const token = coreCaller(ws, { kind: 'token', name: 'ci' });
    expect((await rejection(token('workspace/gc', {}))).code).toBe('forbidden');
    expect((await token('workspace/gc', { dryRun: true })).dryRun).toBe(true);
    expect((await rejection(call()('workspace/gc', { olderThan: '30 days' }))).message).toContain('expected a number and a unit');
  });
});
