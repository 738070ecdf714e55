// `runs why` (docs/reuse.md) with real changes between real runs: each reason's exact words.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WhyRecord } from '../../shared/api/reuse-records.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { coreCaller } from '../helpers/core.js';
import { execConfig, runPipeline, step, writePipeline, type Finished } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace;
let file: string;
let data: string;
beforeEach(() => {
  tmp = tempWorkspace(execConfig(2));
  ws = tmp.open();
  mkdirSync(join(tmp.dir, 'datastores', 'default', 'why'));
  data = join(tmp.dir, 'datastores', 'default', 'why', 'data.csv');
  writeFileSync(data, 'x,y\n1,2\n');
  tmp.write('pipelines/train.py', TRAIN);
  file = writePipeline(tmp, 'p', PIPELINE());
});
afterEach(() => {
  ws.close();
  tmp.cleanup();
});

const TRAIN = 'import sys, shutil\nshutil.copy(sys.argv[1], sys.argv[2] + "/model.txt")\nprint("rate", sys.argv[3])\n';
const PIPELINE = (train: object = {}) => ({
  parameters: { reg_rate: { type: 'number', default: 0.01 } },
  steps: {
    train: {
      type: 'python', script: 'train.py',
      inputs: { raw_data: { datastore: 'default', path: 'why/data.csv' } },
      outputs: { model: {} },
      arguments: ['${{inputs.raw_data}}', '${{outputs.model}}', '${{parameters.reg_rate}}'],
      ...train,
    },
  },
});

const why = (r: Finished, against?: string): Promise<WhyRecord> => coreCaller(ws)('runs/why', { id: r.runId, step: 'train', against });
const texts = (w: WhyRecord) => w.reasons.map((x) => x.text);
const def = (r: Finished) => ws.store.reuse.step(step(r.rec, 'train').id)!;
const short = (h: string) => `${h.slice(0, 8)}…`;

describe('runs why', () => {
  it('says there was no earlier run, then that the second run reused the first with every part matching', async () => {
    const r1 = await runPipeline(ws, file);
    expect(r1.status).toBe('Completed');
    const w1 = await why(r1);
    expect(w1.outcome).toBe('ran');
    expect(texts(w1)).toEqual(['no earlier run of this step']);
    expect(w1.candidate).toBeNull();
    const r2 = await runPipeline(ws, file);
    const w2 = await why(r2);
    expect(w2.outcome).toBe('reused');
    expect(w2.reasons).toEqual([]);
    expect(w2.candidate).toMatchObject({ runId: r1.runId, step: 'train', stepRunId: step(r1.rec, 'train').id });
    expect(w2.matched).toEqual(['type', 'script', 'arguments (parameters reg_rate)', 'code (1 files)', 'input raw_data', 'environment', 'output names']);
    expect(w2.summary).toBe(`reused step 'train' of run ${w2.candidate!.shortId}: every component of the reuse key matched`);
  });

  it('names the edited script with both hashes and gives its diff', async () => {
    const r1 = await runPipeline(ws, file);
    tmp.write('pipelines/train.py', TRAIN.replace('print("rate"', 'print("reg rate"'));
    const r2 = await runPipeline(ws, file);
    expect(step(r2.rec, 'train').reusedFrom).toBeNull();
    const [h0, h1] = [r1, r2].map((r) => (def(r).definition.codeFiles as { rel: string; hash: string }[])[0].hash);
    const w = await why(r2);
    expect(texts(w)).toEqual([`code: train.py changed (hash ${short(h0)} → ${short(h1)})`]);
    expect(w.reasons[0].diff).toContain('-print("rate", sys.argv[3])\n+print("reg rate", sys.argv[3])');
    expect(w.candidate!.runId).toBe(r1.runId);
  });

  it('names a new code file as added', async () => {
    mkdirSync(join(tmp.dir, 'pipelines', 'src'));
    tmp.write('pipelines/src/train.py', TRAIN);
    writePipeline(tmp, 'p', PIPELINE({ source_directory: 'src' }));
    await runPipeline(ws, file);
    tmp.write('pipelines/src/helper.py', 'X = 1\n');
    const w = await why(await runPipeline(ws, file));
    expect(texts(w)).toEqual(['code: helper.py added']);
    expect(w.reasons[0].diff).toContain('+X = 1');
  });

  it('names a changed parameter with both values', async () => {
    await runPipeline(ws, file);
    const w = await why(await runPipeline(ws, file, { parameters: { reg_rate: 0.1 } }));
    expect(texts(w)).toEqual(['parameter reg_rate: 0.01 → 0.1']);
  });

  it('names an input whose file content changed', async () => {
    const r1 = await runPipeline(ws, file);
    appendFileSync(data, '3,4\n');
    const r2 = await runPipeline(ws, file);
    const hashes = [r1, r2].map((r) => (ws.store.reuse.manifest(def(r).reuseKey!)!.inputs as [string, string][])[0][1]);
    expect(texts(await why(r2))).toEqual([`input raw_data: data.csv content changed (hash ${short(hashes[0])} → ${short(hashes[1])})`]);
  });

  it('says the candidate outputs were deleted', async () => {
    const r1 = await runPipeline(ws, file);
    rmSync(step(r1.rec, 'train').outputs.model, { recursive: true });
    const r2 = await runPipeline(ws, file);
    expect(step(r2.rec, 'train').reusedFrom).toBeNull();
    expect(texts(await why(r2))).toEqual(['outputs of the candidate were deleted (output model)']);
  });

  it('says the candidate outputs were edited in place (and the step ran)', async () => {
    const r1 = await runPipeline(ws, file);
    appendFileSync(join(step(r1.rec, 'train').outputs.model, 'model.txt'), 'tampered');
    const r2 = await runPipeline(ws, file);
    expect(step(r2.rec, 'train').reusedFrom).toBeNull();
    expect(texts(await why(r2))).toEqual(['outputs of the candidate were edited in place (output model no longer has the content it was recorded with)']);
  });

  it('says allow_reuse: false', async () => {
    writePipeline(tmp, 'p', PIPELINE({ allow_reuse: false }));
    await runPipeline(ws, file);
    const w = await why(await runPipeline(ws, file));
    expect(texts(w)).toEqual(['allow_reuse: false']);
  });

  it('says --regenerate-outputs', async () => {
    await runPipeline(ws, file);
    const w = await why(await runPipeline(ws, file, { regenerateOutputs: true }));
    expect(texts(w)).toEqual(['--regenerate-outputs']);
    expect(w.summary).toMatch(/^ran; compared with step 'train' of run \w+: 1 reason$/);
  });

  it('compares with another run given by --against, not the newest', async () => {
    const r1 = await runPipeline(ws, file);
    await runPipeline(ws, file, { parameters: { reg_rate: 0.5 } });
    const r3 = await runPipeline(ws, file, { parameters: { reg_rate: 0.1 } });
    expect(texts(await why(r3))).toEqual(['parameter reg_rate: 0.5 → 0.1']);
    const w = await why(r3, r1.runId.slice(0, 12));
    expect(w.candidate!.runId).toBe(r1.runId);
    expect(texts(w)).toEqual(['parameter reg_rate: 0.01 → 0.1']);
    // A reused step against the run it reused: nothing differs.
    const r4 = await runPipeline(ws, file);
    expect(texts(await why(r4, r1.runId))).toEqual([]);
  });
});
