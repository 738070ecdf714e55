// Lineage (docs/reuse.md) across two pipelines that share a dataset: the run that made it, from
// which inputs and code, and every step run that read it (through a step edge or the dataset).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../main/workspace/workspace.js';
import { coreCaller, rejection } from '../helpers/core.js';
import { execConfig, runPipeline, sh, step, writePipeline } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace;
beforeEach(() => {
  tmp = tempWorkspace(execConfig(2));
  ws = tmp.open();
});
afterEach(() => {
  ws.close();
  tmp.cleanup();
});

const call = () => coreCaller(ws, { kind: 'cli', user: null });
const reader = (input: object | string) => ({ type: 'command', inputs: { data: input }, command: sh('cat "$0"/* > /dev/null', '${{inputs.data}}') });

describe('lineage', () => {
  it('answers for a dataset version and a file in it, across two pipelines', async () => {
    tmp.write('pipelines/prep.py', 'import sys\nopen(sys.argv[1] + "/table.csv", "w").write("a,b\\n1,2\\n")\n');
    const make = writePipeline(tmp, 'make', {
      parameters: { rows: { type: 'integer', default: 10 } },
      steps: {
        prep: {
          type: 'python', script: 'prep.py', arguments: ['${{outputs.table}}', '${{parameters.rows}}'],
          inputs: { raw: { datastore: 'default', path: 'raw' } },
          outputs: { table: { register_as: { name: 'shared_ds' } } },
        },
        summarize: reader('${{steps.prep.outputs.table}}'),
      },
    });
    const m = await runPipeline(ws, make);
    expect(m.status).toBe('Completed');
    const u1 = await runPipeline(ws, writePipeline(tmp, 'use1', { steps: { train: reader({ dataset: 'shared_ds' }) } }));
    const u2 = await runPipeline(ws, writePipeline(tmp, 'use2', { steps: { evaluate: reader({ dataset: 'shared_ds', version: 1 }) } }));
    expect([u1.status, u2.status]).toEqual(['Completed', 'Completed']);

    const l = await call()('lineage/get', { dataset: 'shared_ds' });
    expect(l.target).toMatchObject({ kind: 'dataset', dataset: { name: 'shared_ds', version: 1 }, path: step(m.rec, 'prep').outputs.table });
    expect(l.producer).toMatchObject({ runId: m.runId, pipeline: 'make', step: 'prep', output: 'table', parameters: { rows: 10 } });
    expect(l.producer!.code).toMatchObject({ script: 'prep.py', files: 1 });
    expect(l.producer!.inputs).toEqual([{ name: 'raw', from: 'default:raw' }]);
    const consumers = (x: typeof l) => x.consumers.map((c) => [c.pipeline, c.step, c.input, c.via, c.runId]);
    expect(consumers(l)).toEqual([
      ['make', 'summarize', 'data', 'step', m.runId],
      ['use1', 'train', 'data', 'dataset', u1.runId],
      ['use2', 'evaluate', 'data', 'dataset', u2.runId],
    ]);
    // A file inside the output, by its path: the same answer.
    const f = await call()('lineage/get', { path: join(step(m.rec, 'prep').outputs.table, 'table.csv') });
    expect(f.producer!.stepRunId).toBe(step(m.rec, 'prep').id);
    expect(consumers(f)).toEqual(consumers(l));
    // A second run of `make` reuses prep: its summarize (reused too) read the same folder.
    const m2 = await runPipeline(ws, make);
    const again = await call()('lineage/get', { dataset: 'shared_ds' });
    expect(again.producer!.runId).toBe(m.runId);
    expect(consumers(again)).toContainEqual(['make', 'summarize', 'data', 'step', m2.runId]);
  });

  it('lists the readers of a raw datastore file no run made', async () => {
    tmp.write('datastores/default/raw/extra.csv', 'a\n1\n');
    const r = await runPipeline(ws, writePipeline(tmp, 'use', { steps: { load: reader({ datastore: 'default', path: 'raw' }) } }));
    const l = await call()('lineage/get', { path: 'datastores/default/raw/extra.csv' });
    expect(l.producer).toBeNull();
    expect(l.consumers.map((c) => [c.step, c.via, c.runId])).toEqual([['load', 'path', r.runId]]);
  });

  it('says what it does not know', async () => {
    expect((await rejection(call()('lineage/get', { path: join(tmp.dir, 'nowhere') }))).message).toMatch(/^no step run made or read .*nowhere/);
    expect((await rejection(call()('lineage/get', {}))).message).toContain('give either path or dataset');
  });
});
