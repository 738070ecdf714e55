// Bug 8 of issue 14: a schema error (a typo'd key) hid every reference problem until it was fixed.
// docs/pipelines.md promises every problem at once: the parts of the file that do match the schema
// are checked for references too, and names whose own declaration is broken are not also "unknown".
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors.js';
import { validatePipeline, type WorkspaceNames } from '../../../shared/pipeline/validate.js';

const FILE = 'pipelines/p.yml';
const NAMES: WorkspaceNames = { datastores: ['default'], computes: ['local'], environments: ['default'], datasets: ['raw_data'] };
const yaml = (...lines: string[]) => lines.join('\n') + '\n';

function problems(text: string): string[] {
  try {
    validatePipeline(FILE, text, NAMES);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).details;
  }
  throw new Error('expected the pipeline to be rejected');
}

describe('validation reports every problem at once', () => {
  it('a typo in one step and a bad step reference in another', () => {
    const lines = problems(yaml(
      'name: p',
      'steps:',
      '  prep:',
      '    type: python',
      '    scirpt: prep.py',
      '  train:',
      '    type: python',
      '    script: train.py',
      '    inputs:',
      '      data: ${{steps.nope.outputs.x}}',
    ));
    expect(lines).toEqual([
      `${FILE}:5:5: unknown key 'scirpt'`,
      `${FILE}:10:13: input 'data' refers to unknown step 'nope'`,
    ]);
  });

  it('a step missing its script next to a wrongly typed field, and an unknown parameter elsewhere', () => {
    const lines = problems(yaml(
      'name: p',
      'parameters:',
      '  rate: { type: number, default: 0.1 }',
      'steps:',
      '  a:',
      '    type: python',
      '    timeout: soon',
      '  b:',
      '    type: command',
      '    command: [echo, "${{parameters.rat}}"]',
    ));
    expect(lines.some((l) => l.startsWith(`${FILE}:7:`) && /timeout/.test(l))).toBe(true);
    expect(lines.some((l) => /a python step needs 'script'/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${FILE}:10:`) && /unknown parameter 'rat'/.test(l))).toBe(true);
  });

  it('does not call a name unknown when its own declaration is the broken part', () => {
    const lines = problems(yaml(
      'name: p',
      'parameters:',
      '  rate: { type: numbr }',
      'steps:',
      '  prep:',
      '    type: pyhton',
      '    outputs:',
      '      out: { datastore: default }',
      '  train:',
      '    type: command',
      '    command: [echo, "${{parameters.rate}}", "${{inputs.d}}"]',
      '    inputs:',
      '      d: ${{steps.prep.outputs.out}}',
    ));
    expect(lines.filter((l) => /unknown (parameter|step)|has no output/.test(l))).toEqual([]);
    expect(lines.some((l) => l.startsWith(`${FILE}:3:`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${FILE}:6:`))).toBe(true);
  });

  it('a whole document of the wrong shape is one problem, not a crash', () => {
    expect(problems('steps: [a, b]\n').length).toBeGreaterThan(0);
    expect(problems('- 1\n- 2\n').length).toBeGreaterThan(0);
  });
});
