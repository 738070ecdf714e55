// Parameter coercion (shared/params.ts): one rule set for CLI strings, REST JSON values and the UI.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { coerceParameter, parseAssignments, resolveParameters } from '../../shared/params.js';
import type { ParameterSpec } from '../../shared/pipeline/schema.js';

function rejects(fn: () => unknown, code: string, ...parts: string[]): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const u = e as UserError;
    expect(u.code).toBe(code);
    for (const p of parts) expect(u.message).toContain(p);
    return u;
  }
  throw new Error('expected a UserError');
}

const num: ParameterSpec = { type: 'number' };
const int: ParameterSpec = { type: 'integer' };
const bool: ParameterSpec = { type: 'boolean' };

describe('coerceParameter', () => {
  it('coerces numbers from strings and JSON numbers', () => {
    expect(coerceParameter('r', num, '0.25')).toBe(0.25);
    expect(coerceParameter('r', num, ' 1e-3 ')).toBe(0.001);
    expect(coerceParameter('r', num, -2)).toBe(-2);
    for (const bad of ['abc', '', '  ', 'NaN', 'Infinity', true, null, [1]]) {
      rejects(() => coerceParameter('r', num, bad), 'invalid_parameter', "parameter 'r'", 'number');
    }
  });

  it('coerces integers and rejects fractions', () => {
    expect(coerceParameter('n', int, '42')).toBe(42);
    expect(coerceParameter('n', int, 7)).toBe(7);
    expect(coerceParameter('n', int, '3.0')).toBe(3);
    rejects(() => coerceParameter('n', int, '2.5'), 'invalid_parameter', "parameter 'n'", 'integer');
    rejects(() => coerceParameter('n', int, 2.5), 'invalid_parameter', 'integer');
    rejects(() => coerceParameter('n', int, 'ten'), 'invalid_parameter', 'integer');
  });

  it('coerces booleans from true/false/1/0 in any case', () => {
    for (const t of [true, 'true', 'TRUE', ' True ', '1', 1]) expect(coerceParameter('b', bool, t)).toBe(true);
    for (const f of [false, 'false', 'False', '0', 0]) expect(coerceParameter('b', bool, f)).toBe(false);
    for (const bad of ['yes', 'no', '', 2, null]) rejects(() => coerceParameter('b', bool, bad), 'invalid_parameter', "parameter 'b'", 'boolean');
  });

  it('turns scalars into strings', () => {
    const s: ParameterSpec = { type: 'string' };
    expect(coerceParameter('s', s, 'hello')).toBe('hello');
    expect(coerceParameter('s', s, 12)).toBe('12');
    expect(coerceParameter('s', s, false)).toBe('false');
    expect(coerceParameter('s', s, '')).toBe('');
    rejects(() => coerceParameter('s', s, { a: 1 }), 'invalid_parameter', "parameter 's'");
    rejects(() => coerceParameter('s', s, null), 'invalid_parameter');
  });

  it('accepts relative datastore paths only', () => {
    const p: ParameterSpec = { type: 'path' };
    expect(coerceParameter('p', p, 'raw/2024/x.csv')).toBe('raw/2024/x.csv');
    expect(coerceParameter('p', p, 'raw')).toBe('raw');
    rejects(() => coerceParameter('p', p, '/etc/passwd'), 'invalid_parameter', "parameter 'p'", 'absolute');
    rejects(() => coerceParameter('p', p, 'C:\\data'), 'invalid_parameter', 'absolute');
    rejects(() => coerceParameter('p', p, 'raw/../../secret'), 'invalid_parameter', '..');
    rejects(() => coerceParameter('p', p, '..\\up'), 'invalid_parameter', '..');
  });

  it('checks enum membership after coercion', () => {
    const e: ParameterSpec = { type: 'string', enum: ['fast', 'slow'] };
    expect(coerceParameter('mode', e, 'slow')).toBe('slow');
    rejects(() => coerceParameter('mode', e, 'medium'), 'invalid_parameter', "parameter 'mode'", '"fast"', '"slow"');
    const n: ParameterSpec = { type: 'integer', enum: [1, 2, 4] };
    expect(coerceParameter('k', n, '4')).toBe(4);
    rejects(() => coerceParameter('k', n, '3'), 'invalid_parameter', "'k'");
  });

  it('checks min and max inclusively', () => {
    const s: ParameterSpec = { type: 'number', min: 0, max: 1 };
    expect(coerceParameter('r', s, '0')).toBe(0);
    expect(coerceParameter('r', s, '1')).toBe(1);
    rejects(() => coerceParameter('r', s, '-0.01'), 'invalid_parameter', "parameter 'r'", '>= 0');
    rejects(() => coerceParameter('r', s, 1.5), 'invalid_parameter', '<= 1');
  });
});

describe('resolveParameters', () => {
  const specs: Record<string, ParameterSpec> = {
    reg_rate: { type: 'number', default: 0.01 },
    epochs: { type: 'integer', default: 10, min: 1 },
    shuffle: { type: 'boolean', default: 'true' },
    label: { type: 'string' },
  };

  it('fills defaults and coerces given values', () => {
    expect(resolveParameters(specs, { label: 'x', epochs: '3' })).toEqual({ reg_rate: 0.01, epochs: 3, shuffle: true, label: 'x' });
  });

  it('rejects an unknown name, naming it and the known ones', () => {
    rejects(() => resolveParameters(specs, { label: 'x', nope: 1 }), 'unknown_parameter', "'nope'", 'reg_rate', 'epochs');
  });

  it('rejects any name for a pipeline without parameters', () => {
    rejects(() => resolveParameters(undefined, { a: 1 }), 'unknown_parameter', "'a'", 'no parameters');
    expect(resolveParameters(undefined, {})).toEqual({});
  });

  it('rejects a missing required parameter', () => {
    rejects(() => resolveParameters(specs, {}), 'missing_parameter', "'label'");
  });

  it('rejects a bad value with the parameter name', () => {
    rejects(() => resolveParameters(specs, { label: 'x', reg_rate: 'abc' }), 'invalid_parameter', "'reg_rate'", 'abc');
    rejects(() => resolveParameters(specs, { label: 'x', epochs: 0 }), 'invalid_parameter', "'epochs'", '>= 1');
  });
});

describe('parseAssignments', () => {
  it('splits at the first = and keeps values as strings', () => {
    expect(parseAssignments(['a=1', 'expr=x=y', 'empty='])).toEqual({ a: '1', expr: 'x=y', empty: '' });
  });

  it('rejects a pair without a name', () => {
    rejects(() => parseAssignments(['novalue']), 'bad_usage', 'NAME=VALUE');
    rejects(() => parseAssignments(['=1']), 'bad_usage');
  });
});
