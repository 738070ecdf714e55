// The log view: what looks like stderr is marked (stdout and stderr share std_log.txt), and search
// matches are split out for highlighting.
import { describe, expect, it } from 'vitest';
import { classify, matchingLines, splitMatches } from '../../renderer/src/runs/log-lines.js';

describe('log lines', () => {
  it('marks tracebacks, errors, warnings and the engine notes', () => {
    const lines = classify(
      [
        'epoch 1 loss 0.5',
        'UserWarning: feature names',
        'Traceback (most recent call last):',
        '  File "train.py", line 3, in <module>',
        '    main()',
        'ValueError: bad shape',
        'after',
        '[millrace] step exited with code 1',
        '[millrace] reused outputs of 0mx4',
        '',
      ].join('\n'),
    );
    expect(lines.map((l) => l.kind)).toEqual([null, 'warning', 'error', 'error', 'error', 'error', null, 'error', 'engine']);
    expect(lines.at(-1)!.n).toBe(9);
  });

  it('splits search matches, case-insensitive', () => {
    expect(splitMatches('Loss at loss', 'loss')).toEqual([
      { text: 'Loss', match: true },
      { text: ' at ', match: false },
      { text: 'loss', match: true },
    ]);
    expect(splitMatches('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(matchingLines(classify('a\nB\nab\n'), 'b')).toEqual([2, 3]);
  });
});
