// YAML aliases (shared/pipeline/yaml-aliases.ts): every bad alias is a UserError at file:line:col,
// and the limits let real files through.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors.js';
import { validatePipeline, validateWorkspaceConfig } from '../../../shared/pipeline/validate.js';
import { MAX_ALIASES, MAX_EXPANDED_VALUES } from '../../../shared/pipeline/yaml-aliases.js';

const FILE = '/ws/pipelines/p.yml';
const yaml = (...lines: string[]) => lines.join('\n') + '\n';

function rejection(text: string): UserError {
  try {
    validatePipeline(FILE, text);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected the pipeline to be rejected');
}

describe('YAML aliases', () => {
  it('reports an alias to no anchor at the alias', () => {
    const e = rejection(yaml('steps:', '  a:', '    type: command', '    command: [*nope]'));
    expect(e.code).toBe('invalid_definition');
    expect(e.details).toEqual([`${FILE}:4:15: alias '*nope' names no anchor: '&nope' must be set before it`]);
  });

  it('reports an alias used before its anchor', () => {
    const e = rejection(yaml('steps:', '  a: { type: command, command: *c }', '  b: { type: command, command: &c [true] }'));
    expect(e.details[0]).toMatch(new RegExp(`^${FILE}:2:32: alias '\\*c' names no anchor`));
  });

  it('reports an alias inside the node it names', () => {
    const e = rejection(yaml('steps:', '  a: &s { type: command, command: [true], x: *s }'));
    expect(e.details).toEqual([`${FILE}:2:46: alias '*s' is inside the node it names`]);
  });

  it('accepts a 150-step file whose steps reuse the first step command (150 aliases)', () => {
    const steps = Array.from({ length: 150 }, (_, i) => `  s${i}: { type: command, command: *c }`);
    const v = validatePipeline(FILE, yaml('steps:', '  first: { type: command, command: &c [echo, hello] }', ...steps));
    expect(v.order).toHaveLength(151);
    expect(v.spec.steps.s149.command).toEqual(['echo', 'hello']);
  });

  it('uses the latest anchor of a name', () => {
    const v = validatePipeline(
      FILE,
      yaml('steps:', '  a: { type: command, command: &c [one] }', '  b: { type: command, command: *c }', '  c: { type: command, command: &c [two] }', '  d: { type: command, command: *c }'),
    );
    expect(v.spec.steps.b.command).toEqual(['one']);
    expect(v.spec.steps.d.command).toEqual(['two']);
  });

  it('refuses a billion laughs at the alias that crosses the limit, without expanding it', () => {
    const lines = ['description: &l0 lol'];
    for (let i = 1; i <= 9; i++) lines.push(`x${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    const e = rejection(yaml(...lines, 'steps:', '  a: { type: command, command: [true] }'));
    expect(e.details).toHaveLength(1);
    // Lines 2-6 expand to ~123,000 values, line 7 (x6) alone to ~1.1 million: the limit is crossed there.
    expect(MAX_EXPANDED_VALUES).toBe(200_000);
    expect(e.details[0]).toMatch(new RegExp(`^${FILE}:7:\\d+: aliases expand this file beyond 200,000 values$`));
  });

  it('refuses more than MAX_ALIASES aliases, at the first one too many', () => {
    const items = Array(MAX_ALIASES + 1).fill('*c').join(', ');
    const e = rejection(yaml('steps:', `  a: { type: command, command: &c [true], arguments: [${items}] }`));
    const col = `  a: { type: command, command: &c [true], arguments: [`.length + (MAX_ALIASES) * 4 + 1;
    expect(e.details).toEqual([`${FILE}:2:${col}: more than ${MAX_ALIASES} aliases in one file`]);
  });

  it('checks the aliases of millrace.yml the same way', () => {
    expect(() => validateWorkspaceConfig('/ws/millrace.yml', yaml('datastores:', '  a: *d'))).toThrow(/\/ws\/millrace\.yml:2:6: alias '\*d' names no anchor/);
  });
});
