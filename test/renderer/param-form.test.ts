import { describe, expect, it } from 'vitest';
import { fieldKind, ParamForm } from '../../renderer/src/pipelines/param-form.svelte.js';

const specs = {
  reg_rate: { type: 'number' as const, default: 0.01, min: 0 },
  epochs: { type: 'integer' as const, default: 10, min: 1, max: 100 },
  shuffle: { type: 'boolean' as const, default: true },
  mode: { type: 'string' as const, enum: ['fast', 'full'], default: 'fast' },
  raw_path: { type: 'path' as const, default: 'raw' },
  label: { type: 'string' as const },
};

describe('ParamForm', () => {
  it('starts from the defaults (or given values) and picks a field kind per type', () => {
    const f = new ParamForm(specs, { epochs: 3 });
    expect(f.values).toMatchObject({ reg_rate: '0.01', epochs: '3', shuffle: true, mode: 'fast', raw_path: 'raw', label: '' });
    expect(Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, fieldKind(s)]))).toEqual({
      reg_rate: 'number', epochs: 'integer', shuffle: 'boolean', mode: 'enum', raw_path: 'path', label: 'string',
    });
  });

  it("refuses bad values with the core's own messages", () => {
    const f = new ParamForm(specs);
    f.set('reg_rate', 'abc');
    expect(f.errorOf('reg_rate')).toBe('expected a number, got "abc"');
    f.set('reg_rate', '-1');
    expect(f.errorOf('reg_rate')).toBe('must be >= 0, got -1');
    f.set('epochs', '2.5');
    expect(f.errorOf('epochs')).toMatch(/expected an integer/);
    f.set('epochs', '');
    expect(f.errorOf('epochs')).toBe('a value is required (default: 10)');
    f.set('raw_path', '/etc/passwd');
    expect(f.errorOf('raw_path')).toMatch(/relative to a datastore/);
    f.set('raw_path', '../up');
    expect(f.errorOf('raw_path')).toMatch(/'\.\.'/);
    expect(f.valid).toBe(false);
    expect(Object.keys(f.errors).sort()).toEqual(['epochs', 'raw_path', 'reg_rate']);
  });

  it('shows errors only for touched fields until a submit was attempted', () => {
    const f = new ParamForm({ n: { type: 'integer' } });
    expect(f.errorOf('n')).toBe('a value is required');
    expect(f.visibleError('n')).toBeNull();
    f.attempted = true;
    expect(f.visibleError('n')).toBe('a value is required');
  });

  it('turns valid text into typed values for runs/submit, and resets to defaults', () => {
    const f = new ParamForm(specs);
    f.set('reg_rate', '0.5');
    f.set('epochs', '20');
    f.set('shuffle', false);
    f.set('label', 'x');
    expect(f.valid).toBe(true);
    expect(f.toParameters()).toEqual({ reg_rate: 0.5, epochs: 20, shuffle: false, mode: 'fast', raw_path: 'raw', label: 'x' });
    f.reset();
    expect(f.values.reg_rate).toBe('0.01');
    expect(f.touched).toEqual({});
  });
});
