// Bounded, encodable text at every boundary (shared/safe-text.ts): a 5 MB name, a NUL or a lone
// surrogate is refused naming its field, before anything runs.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../main/core/dispatch.js';
import { azureSubmitBodySchema } from '../../shared/api/azure.js';
import { UserError } from '../../shared/errors.js';
import { coerceParameter } from '../../shared/params.js';
import { validatePipeline } from '../../shared/pipeline/validate.js';
import { badCharacters, shown, TEXT_LIMITS } from '../../shared/safe-text.js';

const FILE = '/ws/pipelines/p.yml';
const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const STEP = ['steps:', '  a:', '    type: command', '    command: [true]'];

function problems(text: string): string[] {
  try {
    validatePipeline(FILE, text);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).details;
  }
  throw new Error('expected the pipeline to be rejected');
}

function argsProblem(name: Parameters<typeof parseArgs>[0], args: unknown): string {
  try {
    parseArgs(name, args);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('invalid_input');
    return (e as UserError).details.join('\n');
  }
  throw new Error('expected the arguments to be refused');
}

describe('badCharacters and shown', () => {
  it('finds NUL and lone surrogates, and lets paired surrogates (emoji) through', () => {
    expect(badCharacters('plain ascii and é and 😀')).toBeUndefined();
    expect(badCharacters('a\u0000b')).toBe('contains a NUL character (\\u0000) at position 1');
    expect(badCharacters('ab\ud800')).toMatch(/lone surrogate \(\\ud800\) at position 2/);
    expect(badCharacters('\udc00x')).toMatch(/lone surrogate \(\\udc00\) at position 0/);
    expect(badCharacters('\ud83d\ude00\ud83d')).toMatch(/at position 2/);
  });

  it('shows a user string escaped and cut', () => {
    expect(shown('a\u0000b\ud800c😀')).toBe('a\\u0000b\\ud800c😀');
    expect(shown('x'.repeat(5_000_000))).toBe(`${'x'.repeat(60)}... (5,000,000 characters)`);
  });
});

describe('limits and characters in a pipeline file', () => {
  it('refuses a 5 MB pipeline name at the name, without echoing it', () => {
    const p = problems(yaml(`name: ${'n'.repeat(5 * 1024 * 1024)}`, ...STEP));
    expect(p).toEqual([`${FILE}:1:7: name: is too long: at most 256 characters, got 5,242,880`]);
  });

  it('bounds descriptions, display names, scripts and names', () => {
    const p = problems(
      yaml(
        `description: ${'d'.repeat(TEXT_LIMITS.description + 1)}`,
        'steps:',
        '  a:',
        '    type: python',
        `    display_name: ${'x'.repeat(257)}`,
        `    script: ${'s'.repeat(4097)}`,
        `    compute: ${'c'.repeat(129)}`,
      ),
    );
    expect(p).toEqual([
      `${FILE}:1:14: description: is too long: at most 10,000 characters, got 10,001`,
      `${FILE}:5:19: steps.a.display_name: is too long: at most 256 characters, got 257`,
      `${FILE}:6:13: steps.a.script: is too long: at most 4,096 characters, got 4,097`,
      `${FILE}:7:14: steps.a.compute: is too long: at most 128 characters, got 129`,
    ]);
    const longStep = 's'.repeat(129);
    expect(problems(yaml('steps:', `  ${longStep}: { type: command, command: [true] }`))).toEqual([
      `${FILE}:2:3: steps.${shown(longStep)}: a name is too long: at most 128 characters, got 129`,
    ]);
  });

  it('refuses NUL and lone surrogates in names, commands, arguments, env and defaults, each at its place', () => {
    const p = problems(
      yaml(
        'name: "pipe\\0line"',
        'parameters:',
        '  p: { type: string, default: "x\\ud800" }',
        'steps:',
        '  a:',
        '    type: command',
        '    command: [echo, "a\\0b"]',
        '    arguments: ["\\udc00"]',
        '    env: { GOOD: "ok", BAD: "v\\0" }',
        '    description: "half \\ud83d"',
      ),
    );
    expect(p).toEqual([
      `${FILE}:1:7: name: contains a NUL character (\\u0000) at position 4`,
      `${FILE}:3:31: parameters.p.default: contains a lone surrogate (\\ud800) at position 1: not valid Unicode text`,
      `${FILE}:7:21: steps.a.command.1: contains a NUL character (\\u0000) at position 1`,
      `${FILE}:8:17: steps.a.arguments.0: contains a lone surrogate (\\udc00) at position 0: not valid Unicode text`,
      `${FILE}:9:29: steps.a.env.BAD: contains a NUL character (\\u0000) at position 1`,
      `${FILE}:10:18: steps.a.description: contains a lone surrogate (\\ud83d) at position 5: not valid Unicode text`,
    ]);
  });

  it("refuses an env name holding '=' or NUL", () => {
    expect(problems(yaml(...STEP, '    env: { "A=B": x, "C\\0": y }'))).toEqual([
      `${FILE}:5:12: steps.a.env.A=B: an environment variable name may not contain '='`,
      `${FILE}:5:22: steps.a.env.C\\u0000: a name contains a NUL character (\\u0000) at position 1`,
    ]);
  });
});

describe('limits and characters of submitted values', () => {
  it('refuses a string parameter value that is too long or not encodable, naming the parameter', () => {
    const spec = { type: 'string' as const };
    expect(coerceParameter('p', spec, 'x'.repeat(TEXT_LIMITS.argument))).toHaveLength(TEXT_LIMITS.argument);
    expect(() => coerceParameter('p', spec, 'x'.repeat(TEXT_LIMITS.argument + 1))).toThrow("parameter 'p': is too long: at most 32,000 characters, got 32,001");
    expect(() => coerceParameter('p', spec, 'a\u0000b')).toThrow("parameter 'p': contains a NUL character");
    expect(() => coerceParameter('p', { type: 'path' }, 'raw/\ud800')).toThrow("parameter 'p': contains a lone surrogate");
    expect(() => coerceParameter('n', { type: 'number' }, 'x'.repeat(100_000))).toThrow(/expected a number, got "x{59}\.\.\. \(100,002 characters\)$/);
  });

  it('refuses bad experiment names, descriptions and tags of runs/submit, naming the field', () => {
    expect(argsProblem('runs/submit', { file: 'p.yml', experiment: 'a\u0000b' })).toBe('experiment: contains a NUL character (\\u0000) at position 1');
    expect(argsProblem('runs/submit', { file: 'p.yml', experiment: 'e'.repeat(257) })).toBe('experiment: is too long: at most 256 characters, got 257');
    expect(argsProblem('runs/submit', { file: 'p.yml', description: 'x\ud800' })).toMatch(/^description: contains a lone surrogate/);
    expect(argsProblem('runs/submit', { file: 'p.yml', tags: { ok: 'v', 'k\u0000': 'v' } })).toBe('tags.k\\u0000: a name contains a NUL character (\\u0000) at position 1');
    expect(argsProblem('runs/submit', { file: 'p.yml', tags: { k: 'v'.repeat(4097) } })).toBe('tags.k: is too long: at most 4,096 characters, got 4,097');
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, 'v']));
    expect(argsProblem('runs/submit', { file: 'p.yml', tags: many })).toBe('tags: at most 100 tags');
    expect(argsProblem('runs/submit', { file: 'p.yml', parameters: { p: 'a\u0000' } })).toBe('parameters.p: contains a NUL character (\\u0000) at position 1');
    expect(argsProblem('schedules/create', { name: 's', pipeline: 'x', experiment: '\ud800', recurrence: {} })).toMatch(/^experiment: contains a lone surrogate/);
  });

  it('refuses the same in the Azure PipelineSubmit body', () => {
    const issues = (body: unknown) => azureSubmitBodySchema.safeParse(body).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ ExperimentName: 'a\u0000b' })).toEqual(['ExperimentName: contains a NUL character (\\u0000) at position 1']);
    expect(issues({ ExperimentName: 'e', ParameterAssignments: { p: '\ud800' } })).toEqual(['ParameterAssignments.p: contains a lone surrogate (\\ud800) at position 0: not valid Unicode text']);
    expect(issues({ ExperimentName: 'e', Tags: { k: 'a\u0000' }, Description: 'd'.repeat(10_001) })).toEqual([
      'Description: is too long: at most 10,000 characters, got 10,001',
      'Tags.k: contains a NUL character (\\u0000) at position 1',
    ]);
    expect(issues({ ExperimentName: '  ok  ', Tags: { 'a b': 'c' } })).toBeUndefined();
  });
});
