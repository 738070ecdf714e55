// The cache of validated pipeline files: an unchanged file is not validated again, and anything
// the validation depended on (the text, the workspace's names) validates afresh.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { validatePipeline } from '../../shared/pipeline/validate.js';
import { cachedValidation } from '../../main/pipelines/pipeline-cache.js';
import { loadPipeline } from '../../main/pipelines/load.js';
import { execConfig, runPipeline, sh, writePipeline } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
afterEach(() => tmp?.cleanup());

const spec = (echo: string) => ({
  name: 'cached',
  steps: {
    // Names that an object with a prototype would answer for: they must stay plain names.
    constructor: { type: 'command', command: sh(`echo ${echo} > "$0/x"`, '${{outputs.out}}'), outputs: { out: { datastore: 'default' } } },
    toString: { type: 'command', command: sh('cat "$0/x"', '${{inputs.a}}'), inputs: { a: '${{steps.constructor.outputs.out}}' } },
  },
});

describe('validated pipelines cached by content', () => {
  it('validates an unchanged file once, and again after any change to it or to what it was checked against', () => {
    tmp = tempWorkspace(execConfig());
    const ws = tmp.open();
    try {
      const file = writePipeline(tmp, 'p', spec('one'));
      const text = () => readFileSync(file, 'utf8');
      const validate = vi.fn(() => validatePipeline(file, text(), ws.names()));
      const first = cachedValidation(ws.store.pipelineCache, file, text(), ws.names(), validate);
      const again = cachedValidation(ws.store.pipelineCache, file, text(), ws.names(), validate);
      expect(validate).toHaveBeenCalledTimes(1);
      // The same pipeline comes back: spec, order, dependencies; records without a prototype.
      expect(JSON.stringify(again.spec)).toBe(JSON.stringify(first.spec));
      expect(again.order).toEqual(first.order);
      expect(again.graph.deps).toEqual(first.graph.deps);
      expect(Object.getPrototypeOf(again.spec.steps)).toBeNull();
      const name: string = 'toString';
      expect(again.spec.steps[name].inputs!.a).toBe('${{steps.constructor.outputs.out}}');

      writePipeline(tmp, 'p', spec('two'));
      cachedValidation(ws.store.pipelineCache, file, text(), ws.names(), validate);
      expect(validate).toHaveBeenCalledTimes(2);
      cachedValidation(ws.store.pipelineCache, file, text(), { ...ws.names(), datasets: ['new'] }, validate);
      expect(validate).toHaveBeenCalledTimes(3);
    } finally {
      ws.close();
    }
  });

  it('never hides a mistake made after a valid version was cached', async () => {
    tmp = tempWorkspace(execConfig());
    const ws = tmp.open();
    try {
      const file = writePipeline(tmp, 'p', spec('one'));
      expect((await runPipeline(ws, file)).status).toBe('Completed');
      expect((await runPipeline(ws, file)).rec.steps.every((s) => s.reusedFrom)).toBe(true);
      tmp.write('pipelines/p.yml', stringify({ ...spec('one'), steps: { ...spec('one').steps, extra: { type: 'command', compute: 'nowhere', command: ['true'] } } }));
      expect(() => loadPipeline(ws, file)).toThrow(/unknown compute target 'nowhere'/);
    } finally {
      ws.close();
    }
  });
});
