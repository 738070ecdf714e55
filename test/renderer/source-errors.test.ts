import { describe, expect, it } from 'vitest';
import { errorsByLine, sourceLines, splitError } from '../../renderer/src/pipelines/source-errors.js';

describe('validation errors on their lines', () => {
  const errors = [
    'pipelines/bad.yml:3:5: steps.train.type: unknown step type \'nope\'',
    'pipelines/bad.yml:3:12: second problem on the same line',
    'pipelines/bad.yml:7:1: missing depends_on target',
    'pipelines/other.yml:2:1: another file',
    'no location here',
    'pipelines/bad.yml:99:1: past the end',
  ];

  it('maps file:line:col errors of this file to 1-based lines, several per line, in order', () => {
    const m = errorsByLine(errors, 'bad.yml', 8);
    expect([...m.keys()]).toEqual([3, 7, 8]);
    expect(m.get(3)).toEqual([
      { line: 3, col: 5, message: "steps.train.type: unknown step type 'nope'" },
      { line: 3, col: 12, message: 'second problem on the same line' },
    ]);
    expect(m.get(7)).toEqual([{ line: 7, col: 1, message: 'missing depends_on target' }]);
    // A location past the end goes on the last line.
    expect(m.get(8)![0].message).toBe('past the end');
  });

  it('accepts the workspace-relative name too, and leaves other files and unlocated errors to the list', () => {
    expect([...errorsByLine(errors, 'pipelines/bad.yml', 10).keys()]).toEqual([3, 7, 10]);
    expect(errorsByLine(['other.yml:1:1: x', 'plain'], 'bad.yml', 5).size).toBe(0);
    expect(errorsByLine(['pipelines/sub/a.yml:2:3: x'], 'sub/a.yml', 5).get(2)).toEqual([{ line: 2, col: 3, message: 'x' }]);
  });

  it('splits lines without a phantom last one, and splits an error into location and message', () => {
    expect(sourceLines('a\nb\n')).toEqual(['a', 'b']);
    expect(sourceLines('a\r\nb')).toEqual(['a', 'b']);
    expect(sourceLines('')).toEqual(['']);
    expect(splitError('pipelines/x.yml:12:5: bad thing')).toEqual({ at: 'pipelines/x.yml:12:5', text: 'bad thing' });
    expect(splitError('plain')).toEqual({ at: '', text: 'plain' });
  });
});

describe('caretPrefix', () => {
  it('puts the caret under the column: spaces for characters, tabs for tabs', async () => {
    const { caretPrefix } = await import('../../renderer/src/pipelines/source-errors.js');
    expect(caretPrefix('      x: ${{steps.nope.outputs.y}}', 10)).toBe(' '.repeat(9));
    expect(caretPrefix('\tkey: v', 3)).toBe('\t ');
    expect(caretPrefix('ab', 1)).toBe('');
    expect(caretPrefix('ab', 5)).toBe('    ');
  });
});
