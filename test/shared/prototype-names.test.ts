// Names that every JavaScript object inherits (toString, constructor, __proto__, ...) are names like
// any other: never mistaken for a declared parameter, step, input or output, never dropped.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../main/core/dispatch.js';
import { azureSubmitBodySchema } from '../../shared/api/azure.js';
import { UserError } from '../../shared/errors.js';
import { parseAssignments, resolveParameters } from '../../shared/params.js';
import { validatePipeline } from '../../shared/pipeline/validate.js';

/** Every Object.prototype name: __defineGetter__, __proto__, constructor, hasOwnProperty, toString, valueOf ... */
const NAMES = Object.getOwnPropertyNames(Object.prototype);
const FILE = '/ws/pipelines/p.yml';
const yaml = (...lines: string[]) => lines.join('\n') + '\n';

function problems(text: string): string[] {
  try {
    validatePipeline(FILE, text);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).details;
  }
  throw new Error(`expected the pipeline to be rejected:\n${text}`);
}

describe('Object.prototype names in a pipeline', () => {
  it('has the names the tests loop over', () => {
    expect(NAMES).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__']));
  });

  it.each(NAMES)('%s: an undeclared parameter, input, output, step or run_after target is unknown', (n) => {
    const command = `    command: [echo, "\${{parameters.${n}}}", "\${{inputs.${n}}}", "\${{outputs.${n}}}"]`;
    const col = (what: string) => command.indexOf(`"\${{${what}.`) + 1;
    const text = yaml(
      'steps:',
      '  a:',
      '    type: command',
      command,
      '    outputs: { o: {} }',
      `    run_after: [${n}]`,
      '  b:',
      '    type: command',
      '    command: [true]',
      '    inputs:',
      `      x: \${{steps.${n}.outputs.o}}`,
      `      y: \${{steps.a.outputs.${n}}}`,
    );
    expect(problems(text)).toEqual([
      `${FILE}:4:${col('parameters')}: unknown parameter '${n}'`,
      `${FILE}:4:${col('inputs')}: step 'a' has no input '${n}'`,
      `${FILE}:4:${col('outputs')}: step 'a' has no output '${n}'`,
      `${FILE}:6:17: run_after: unknown step '${n}'`,
      `${FILE}:11:10: input 'x' refers to unknown step '${n}'`,
      `${FILE}:12:10: input 'y': step 'a' has no output '${n}'`,
    ]);
  });

  it.each(NAMES.filter((n) => n !== '__proto__'))('%s: declared as parameter, step, input and output, it is used as declared', (n) => {
    const v = validatePipeline(
      FILE,
      yaml(
        'parameters:',
        `  ${n}: { type: string, default: "value of ${n}" }`,
        'steps:',
        `  ${n}:`,
        '    type: command',
        `    command: [echo, "\${{parameters.${n}}}", "\${{outputs.${n}}}"]`,
        `    outputs: { ${n}: {} }`,
        `    env: { ${n}: x }`,
        '  b:',
        '    type: command',
        `    command: [cat, "\${{inputs.${n}}}"]`,
        `    inputs: { ${n}: "\${{steps.${n}.outputs.${n}}}" }`,
      ),
    );
    expect(v.order).toEqual([n, 'b']);
    expect(Object.keys(v.spec.parameters!)).toEqual([n]);
    expect(Object.keys(v.spec.steps.b.inputs!)).toEqual([n]);
    expect(resolveParameters(v.spec.parameters, {})[n]).toBe(`value of ${n}`);
    expect(resolveParameters(v.spec.parameters, { [n]: 'given' })[n]).toBe('given');
  });

  it("refuses '__proto__' as a parameter, step, input, output or env name, at its key", () => {
    const p = problems(
      yaml(
        'parameters:',
        '  __proto__: { type: string, default: x }',
        'steps:',
        '  __proto__: { type: command, command: [true] }',
        '  a:',
        '    type: command',
        '    command: [true]',
        '    inputs: { __proto__: { datastore: default, path: x } }',
        '    outputs: { __proto__: {} }',
        '    env: { __proto__: x }',
      ),
    );
    expect(p).toEqual([
      `${FILE}:2:3: parameters.__proto__: '__proto__' cannot be used as a name`,
      `${FILE}:4:3: steps.__proto__: '__proto__' cannot be used as a name`,
    ]);
    // Inside a step the same holds (reported once the steps map itself is sound).
    expect(problems(yaml('steps:', '  a:', '    type: command', '    command: [true]', '    env: { __proto__: x }'))).toEqual([
      `${FILE}:5:12: steps.a.env.__proto__: '__proto__' cannot be used as a name`,
    ]);
  });
});

describe('Object.prototype names as submitted values', () => {
  it.each(NAMES)('%s: an unknown parameter for -p and for REST parameters', (n) => {
    const specs = { rate: { type: 'number' as const, default: 1 } };
    const unknown = new UserError(`unknown parameter '${n}' (this pipeline has: rate)`, 'unknown_parameter');
    expect(() => resolveParameters(specs, parseAssignments([`${n}=5`]))).toThrow(unknown);
    // As a JSON body would bring it (JSON.parse makes even "__proto__" an own key).
    const body = JSON.parse(JSON.stringify({ file: 'p.yml', parameters: { [n]: '1' } }));
    if (n === '__proto__') {
      expect(() => parseArgs('runs/submit', body)).toThrow(/parameters\.__proto__: '__proto__' cannot be used as a name/);
      return;
    }
    expect(() => resolveParameters(specs, parseArgs('runs/submit', body).parameters!)).toThrow(unknown);
  });

  it("keeps a parameter or tag named like an Object.prototype member, and refuses '__proto__' with a message", () => {
    const args = parseArgs('runs/submit', { file: 'p.yml', parameters: { constructor: '1', toString: 2 }, tags: { valueOf: 'v' } });
    expect(Object.keys(args.parameters!)).toEqual(['constructor', 'toString']);
    expect(args.tags!.valueOf).toBe('v');
    const azure = azureSubmitBodySchema.safeParse(JSON.parse('{"ExperimentName": "e", "Tags": {"__proto__": "x"}}'));
    expect(azure.success).toBe(false);
  });
});
