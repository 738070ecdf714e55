// The datastore browser's CSV preview: quoting, doubled quotes, other separators.
import { describe, expect, it } from 'vitest';
import { guessSeparator, parseCsv } from '../../renderer/src/workspace/csv.js';

describe('CSV head', () => {
  it('parses quoted cells with separators, doubled quotes and newlines', () => {
    expect(parseCsv('x,y,"label, quoted"\n0,0,"a ""b"""\n1,2,"two\nlines"\n')).toEqual([
      ['x', 'y', 'label, quoted'],
      ['0', '0', 'a "b"'],
      ['1', '2', 'two\nlines'],
    ]);
  });
  it('guesses semicolons and tabs', () => {
    expect(guessSeparator('a;b;c')).toBe(';');
    expect(guessSeparator('a\tb')).toBe('\t');
    expect(guessSeparator('single')).toBe(',');
    expect(parseCsv('a;b\r\n1;2')).toEqual([['a', 'b'], ['1', '2']]);
  });
});
