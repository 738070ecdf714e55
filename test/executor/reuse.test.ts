// Step reuse (DESIGN.md section 4) with real files: what changes makes a step rerun, and what does not.
import { appendFileSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../main/workspace/workspace.js';
import { execConfig, runPipeline, sh, step, writePipeline, type Finished } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace;
let trace: string;
beforeEach(() => {
  tmp = tempWorkspace(execConfig(4));
  ws = tmp.open();
  trace = join(tmp.dir, 'executions.log'); // outside every step's code, inputs and outputs
});
afterEach(() => {
  ws.close();
  tmp.cleanup();
});

/** Names of the steps whose process actually ran, in the order they appended to the trace. */
const executed = (): string[] => (existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : []);
const since = (before: string[]) => executed().slice(before.length).sort();
/** The steps of a run that were reused / rerun. */
const reused = (r: Finished) => r.rec.steps.filter((s) => s.reusedFrom).map((s) => s.name).sort();
const rerun = (r: Finished) => r.rec.steps.filter((s) => !s.reusedFrom).map((s) => s.name).sort();

/** A command step that logs its execution, then copies `${{inputs.i}}` (when given) plus `extra` into its output. */
function copyStep(name: string, input: unknown | null, extra = '', more: object = {}) {
  return {
    type: 'command',
    ...(input ? { inputs: { i: input } } : {}),
    outputs: { o: {} },
    command: sh(
      `echo ${name} >> "$0"; { [ -n "$2" ] && cat "$2"/* "$2" 2>/dev/null; printf "%s" "$3"; } > "$1/out.txt"`,
      trace,
      '${{outputs.o}}',
      input ? '${{inputs.i}}' : '',
      extra,
    ),
    ...more,
  };
}

describe('step reuse', () => {
  it('reuses every step of an unchanged pipeline, pointing at the first run', async () => {
    const file = writePipeline(tmp, 'p', {
      steps: { a: copyStep('a', null, 'A'), b: copyStep('b', '${{steps.a.outputs.o}}') },
    });
    const r1 = await runPipeline(ws, file);
    expect(r1.status).toBe('Completed');
    expect(reused(r1)).toEqual([]);
    const r2 = await runPipeline(ws, file);
    expect(r2.status).toBe('Completed');
    expect(executed()).toEqual(['a', 'b']); // nothing ran the second time
    for (const n of ['a', 'b']) {
      expect(step(r2.rec, n).status).toBe('Completed');
      expect(step(r2.rec, n).reusedFrom).toBe(step(r1.rec, n).id);
      // A reused step's outputs resolve to the original run's folders.
      expect(step(r2.rec, n).outputs).toEqual(step(r1.rec, n).outputs);
    }
    expect(readFileSync(join(step(r2.rec, 'b').outputs.o, 'out.txt'), 'utf8')).toBe('A');
  });

  it('never reuses a step with allow_reuse: false', async () => {
    const file = writePipeline(tmp, 'p', {
      steps: { a: copyStep('a', null, 'A'), b: copyStep('b', '${{steps.a.outputs.o}}', '', { allow_reuse: false }) },
    });
    await runPipeline(ws, file);
    const r2 = await runPipeline(ws, file);
    expect(reused(r2)).toEqual(['a']);
    expect(step(r2.rec, 'b').reusedFrom).toBeNull();
    expect(executed()).toEqual(['a', 'b', 'b']);
  });

  it('reruns exactly the step whose datastore input changed by one byte, and its downstream', async () => {
    mkdirSync(join(tmp.dir, 'datastores', 'default', 'in'));
    const fa = join(tmp.dir, 'datastores', 'default', 'in', 'a.txt');
    const fb = join(tmp.dir, 'datastores', 'default', 'in', 'b.txt');
    writeFileSync(fa, 'alpha-0');
    writeFileSync(fb, 'beta');
    const file = writePipeline(tmp, 'p', {
      steps: {
        a: copyStep('a', { datastore: 'default', path: 'in/a.txt' }),
        b: copyStep('b', { datastore: 'default', path: 'in/b.txt' }),
        after_a: copyStep('after_a', '${{steps.a.outputs.o}}'),
        after_b: copyStep('after_b', '${{steps.b.outputs.o}}'),
      },
    });
    const r1 = await runPipeline(ws, file);
    expect(r1.status).toBe('Completed');
    const before = executed();
    writeFileSync(fa, 'alpha-1'); // same size, one byte different
    const r2 = await runPipeline(ws, file);
    expect(r2.status).toBe('Completed');
    expect(rerun(r2)).toEqual(['a', 'after_a']);
    expect(reused(r2)).toEqual(['after_b', 'b']);
    expect(since(before)).toEqual(['a', 'after_a']);
    expect(readFileSync(join(step(r2.rec, 'after_a').outputs.o, 'out.txt'), 'utf8')).toBe('alpha-1');
    // Changing it back makes the first run's results valid again.
    writeFileSync(fa, 'alpha-0');
    const r3 = await runPipeline(ws, file);
    expect(rerun(r3)).toEqual([]);
    expect(step(r3.rec, 'a').reusedFrom).toBe(step(r1.rec, 'a').id);
  });

  it('notices a change inside an input folder', async () => {
    const dir = join(tmp.dir, 'datastores', 'default', 'folder');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'x.csv'), '1,2\n');
    const file = writePipeline(tmp, 'p', { steps: { a: copyStep('a', { datastore: 'default', path: 'folder' }) } });
    await runPipeline(ws, file);
    writeFileSync(join(dir, 'sub', 'new.csv'), '3,4\n');
    expect(rerun(await runPipeline(ws, file))).toEqual(['a']);
    expect(rerun(await runPipeline(ws, file))).toEqual([]);
  });

  it('reruns only the step that uses a changed parameter, and its downstream', async () => {
    const file = writePipeline(tmp, 'p', {
      parameters: { rate: { type: 'number', default: 0.1 }, unused: { type: 'string', default: 'x' } },
      steps: {
        uses: copyStep('uses', null, '${{parameters.rate}}'),
        other: copyStep('other', null, 'fixed'),
        down: copyStep('down', '${{steps.uses.outputs.o}}'),
      },
    });
    const r1 = await runPipeline(ws, file);
    expect(rerun(r1)).toEqual(['down', 'other', 'uses']);
    const before = executed();
    const r2 = await runPipeline(ws, file, { parameters: { rate: '0.2' } });
    expect(rerun(r2)).toEqual(['down', 'uses']);
    expect(reused(r2)).toEqual(['other']);
    expect(since(before)).toEqual(['down', 'uses']);
    // A parameter no step uses changes nothing; the same value spelled differently neither.
    const r3 = await runPipeline(ws, file, { parameters: { rate: '0.20', unused: 'y' } });
    expect(rerun(r3)).toEqual([]);
  });

  it('follows a registered dataset to its latest version, or stays on a pinned one', async () => {
    for (const [d, text] of [['d1', 'one'], ['d2', 'two']]) {
      mkdirSync(join(tmp.dir, 'datastores', 'default', d));
      writeFileSync(join(tmp.dir, 'datastores', 'default', d, 'x.txt'), text);
    }
    ws.store.datasets.register({ name: 'raw', paths: [{ datastore: 'default', path: 'd1' }], kind: 'file' });
    const latest = writePipeline(tmp, 'latest', { steps: { a: copyStep('a', { dataset: 'raw' }) } });
    const pinned = writePipeline(tmp, 'pinned', { steps: { a: copyStep('a', { dataset: 'raw', version: 1 }) } });
    const r1 = await runPipeline(ws, latest);
    expect(readFileSync(join(step(r1.rec, 'a').outputs.o, 'out.txt'), 'utf8')).toBe('one');
    ws.store.datasets.register({ name: 'raw', paths: [{ datastore: 'default', path: 'd2' }], kind: 'file' });
    const r2 = await runPipeline(ws, latest);
    expect(step(r2.rec, 'a').reusedFrom).toBeNull();
    expect(readFileSync(join(step(r2.rec, 'a').outputs.o, 'out.txt'), 'utf8')).toBe('two');
    const r3 = await runPipeline(ws, pinned);
    expect(step(r3.rec, 'a').reusedFrom).toBe(step(r1.rec, 'a').id);
  });

  it('never reuses a result computed from a parameter value that has since changed', async () => {
    const file = writePipeline(tmp, 'p', {
      parameters: { rate: { type: 'number', default: 0.1 } },
      steps: { a: { type: 'command', outputs: { o: {} }, command: sh('printf %s "${AML_PARAMETER_rate:-unset}" > "$0/out.txt"', '${{outputs.o}}') } },
    });
    const r1 = await runPipeline(ws, file);
    const first = readFileSync(join(step(r1.rec, 'a').outputs.o, 'out.txt'), 'utf8');
    expect(['0.1', 'unset']).toContain(first);
    const r2 = await runPipeline(ws, file, { parameters: { rate: 0.2 } });
    const second = readFileSync(join(step(r2.rec, 'a').outputs.o, 'out.txt'), 'utf8');
    // Rerun with the new value, or never shown the parameter at all: both are consistent.
    expect(['0.2', 'unset']).toContain(second);
  });

  it('reruns a python step whose script changed (no source_directory: the code is the script)', async () => {
    const script = (name: string, v: number) =>
      `import os, sys\nopen(os.path.join(sys.argv[1], "out.txt"), "w").write("${name}-${v}")\nopen(sys.argv[2], "a").write("${name}\\n")\n`;
    tmp.write('pipelines/one.py', script('one', 1));
    tmp.write('pipelines/two.py', script('two', 1));
    const file = writePipeline(tmp, 'p', {
      steps: {
        one: { type: 'python', script: 'one.py', outputs: { o: {} }, arguments: ['${{outputs.o}}', trace] },
        two: { type: 'python', script: 'two.py', outputs: { o: {} }, arguments: ['${{outputs.o}}', trace] },
        after_one: copyStep('after_one', '${{steps.one.outputs.o}}'),
      },
    });
    const r1 = await runPipeline(ws, file);
    expect(r1.status).toBe('Completed');
    const before = executed();
    tmp.write('pipelines/one.py', script('one', 2));
    // Other files next to the pipeline are not part of either step's code.
    tmp.write('pipelines/notes.txt', 'unrelated');
    const r2 = await runPipeline(ws, file);
    expect(r2.status).toBe('Completed');
    expect(rerun(r2)).toEqual(['after_one', 'one']);
    expect(reused(r2)).toEqual(['two']);
    expect(since(before)).toEqual(['after_one', 'one']);
  });

  it('reruns a step whose source_directory content changed, ignoring .millraceignore-d files', async () => {
    mkdirSync(join(tmp.dir, 'pipelines', 'src', 'scratch'), { recursive: true });
    tmp.write('pipelines/src/.millraceignore', 'scratch/\n');
    tmp.write('pipelines/src/main.py', `import sys\nopen(sys.argv[1], "a").write("py\\n")\n`);
    tmp.write('pipelines/src/helper.py', 'X = 1\n');
    const file = writePipeline(tmp, 'p', { steps: { py: { type: 'python', source_directory: 'src', script: 'main.py', arguments: [trace] } } });
    await runPipeline(ws, file);
    tmp.write('pipelines/src/scratch/tmp.txt', 'ignored');
    expect(rerun(await runPipeline(ws, file))).toEqual([]);
    tmp.write('pipelines/src/helper.py', 'X = 2\n');
    expect(rerun(await runPipeline(ws, file))).toEqual(['py']);
    expect(executed()).toEqual(['py', 'py']);
  });

  it('reruns everything with regenerateOutputs', async () => {
    const file = writePipeline(tmp, 'p', { steps: { a: copyStep('a', null, 'A'), b: copyStep('b', '${{steps.a.outputs.o}}') } });
    const r1 = await runPipeline(ws, file);
    const r2 = await runPipeline(ws, file, { regenerateOutputs: true });
    expect(r2.status).toBe('Completed');
    expect(reused(r2)).toEqual([]);
    expect(executed()).toEqual(['a', 'b', 'a', 'b']);
    expect(step(r2.rec, 'a').outputs.o).not.toBe(step(r1.rec, 'a').outputs.o);
    // The regenerated run is itself a reuse source for the next plain run.
    const r3 = await runPipeline(ws, file);
    expect(step(r3.rec, 'a').reusedFrom).toBe(step(r2.rec, 'a').id);
  });

  it('reruns a step whose completed output folder was deleted', async () => {
    const file = writePipeline(tmp, 'p', { steps: { a: copyStep('a', null, 'A') } });
    const r1 = await runPipeline(ws, file);
    rmSync(step(r1.rec, 'a').outputs.o, { recursive: true });
    const r2 = await runPipeline(ws, file);
    expect(r2.status).toBe('Completed');
    expect(step(r2.rec, 'a').reusedFrom).toBeNull();
    expect(executed()).toEqual(['a', 'a']);
    expect(readFileSync(join(step(r2.rec, 'a').outputs.o, 'out.txt'), 'utf8')).toBe('A');
  });

  it('reruns a step whose completed output was modified or added to', async () => {
    const file = writePipeline(tmp, 'p', { steps: { a: copyStep('a', null, 'A') } });
    const r1 = await runPipeline(ws, file);
    appendFileSync(join(step(r1.rec, 'a').outputs.o, 'out.txt'), 'tampered');
    const r2 = await runPipeline(ws, file);
    expect(step(r2.rec, 'a').reusedFrom).toBeNull();
    writeFileSync(join(step(r2.rec, 'a').outputs.o, 'extra.txt'), 'new file');
    const r3 = await runPipeline(ws, file);
    expect(step(r3.rec, 'a').reusedFrom).toBeNull();
    expect(executed()).toEqual(['a', 'a', 'a']);
    // An intact older result is still found when a newer one was spoiled.
    const r4 = await runPipeline(ws, file);
    expect(step(r4.rec, 'a').reusedFrom).toBe(step(r3.rec, 'a').id);
  });

  it('points reusedFrom at the original producer when the reused step was itself reused', async () => {
    const file = writePipeline(tmp, 'p', { steps: { a: copyStep('a', null, 'A'), b: copyStep('b', '${{steps.a.outputs.o}}') } });
    const r1 = await runPipeline(ws, file);
    const r2 = await runPipeline(ws, file);
    const r3 = await runPipeline(ws, file);
    for (const n of ['a', 'b']) {
      expect(step(r2.rec, n).reusedFrom).toBe(step(r1.rec, n).id);
      expect(step(r3.rec, n).reusedFrom).toBe(step(r1.rec, n).id);
    }
    expect(executed()).toEqual(['a', 'b']);
  });

  it('does not reuse a step of a failed run', async () => {
    const flag = join(tmp.dir, 'fail-now');
    writeFileSync(flag, '');
    const file = writePipeline(tmp, 'p', {
      steps: { a: { type: 'command', outputs: { o: {} }, command: sh('echo a >> "$0"; test ! -f "$1"', trace, flag) } },
    });
    expect((await runPipeline(ws, file)).status).toBe('Failed');
    rmSync(flag);
    const r2 = await runPipeline(ws, file);
    expect(r2.status).toBe('Completed');
    expect(step(r2.rec, 'a').reusedFrom).toBeNull();
    expect(executed()).toEqual(['a', 'a']);
  });
});
