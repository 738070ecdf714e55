// Step logs read in bounded memory (main/logs/log-file.ts): the last N lines scanned backwards,
// a byte range from an offset; and `millrace runs logs --tail` on a 1 GiB log stays small.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogRange, readLogTail, stepLogPath } from '../../main/logs/log-file.js';
import { runPipeline } from '../helpers/executor.js';
import { cliPath, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let dir: string;
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-logs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLogTail', () => {
  const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i} é`).join('\n') + '\n';

  it('returns the last N lines, across chunk boundaries, with the offset they start at', () => {
    const p = file('many.txt', lines);
    const size = Buffer.byteLength(lines);
    for (const n of [1, 2, 3, 1000, 20_000]) {
      const t = readLogTail(p, n, 16 * 1024 * 1024);
      const want = lines.split('\n').slice(-n - 1).join('\n');
      expect(t.text).toBe(want);
      expect(t).toMatchObject({ size, nextOffset: size, offset: size - Buffer.byteLength(want) });
    }
    expect(readLogTail(p, 60_000, 16 * 1024 * 1024).text).toBe(lines);
  });

  it('handles a last line without newline, blank lines, an empty and a missing file', () => {
    expect(readLogTail(file('a.txt', 'one\ntwo\nthree'), 2, 1024).text).toBe('two\nthree');
    expect(readLogTail(file('b.txt', 'one\n\n\n'), 2, 1024).text).toBe('\n\n');
    expect(readLogTail(file('c.txt', 'only\n'), 5, 1024)).toEqual({ size: 5, offset: 0, nextOffset: 5, text: 'only\n' });
    expect(readLogTail(file('d.txt', ''), 5, 1024)).toEqual({ size: 0, offset: 0, nextOffset: 0, text: '' });
    expect(readLogTail(join(dir, 'missing.txt'), 5, 1024)).toEqual({ size: 0, offset: 0, nextOffset: 0, text: '' });
  });

  it('keeps to maxBytes: whole lines when the window holds a line start, else whole characters', () => {
    const p = file('long.txt', `${'x'.repeat(100)}\nshort\nlast\n`);
    expect(readLogTail(p, 3, 20).text).toBe('short\nlast\n');
    const one = file('one.txt', `${'é'.repeat(100)}\n`);
    const t = readLogTail(one, 1, 51); // 51 bytes end inside a 2-byte character: start after it
    expect(t.text).toBe(`${'é'.repeat(25)}\n`);
    expect(t.offset).toBe(201 - 51);
  });
});

describe('readLogRange', () => {
  it('reads from an offset, never splitting a UTF-8 character', () => {
    const p = file('utf8.txt', 'aé€😀b');
    let offset = 0;
    let text = '';
    for (;;) {
      const c = readLogRange(p, offset, 3);
      if (!c.text) break;
      text += c.text;
      offset = c.nextOffset;
    }
    expect(text).toBe('aé€😀b');
    expect(readLogRange(p, 1000, 10)).toEqual({ size: 11, offset: 11, nextOffset: 11, text: '' });
  });
});

describe('millrace runs logs --tail on a 1 GiB log', () => {
  let tw: TempWorkspace;
  beforeAll(() => {
    tw = tempWorkspace();
  });
  afterAll(() => tw.cleanup());

  it('prints the last lines and keeps its memory small (npm run build first)', async () => {
    const ws = tw.open();
    const pipeline = tw.write('pipelines/p.yml', 'steps:\n  only: { type: command, command: [echo, hi] }\n');
    const { runId, rec } = await runPipeline(ws, pipeline);
    const log = stepLogPath(ws, runId, rec.steps[0]);
    ws.close();
    // 1 GiB of NUL bytes on paper (a sparse file: nothing on disk), then two lines.
    mkdirSync(join(log, '..'), { recursive: true });
    writeFileSync(log, '');
    truncateSync(log, 1024 * 1024 * 1024);
    appendFileSync(log, '\nsecond to last\nlast line\n');
    const rss = join(dir, 'rss.cjs');
    writeFileSync(rss, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(join(dir, 'rss.txt'))}, String(process.resourceUsage().maxRSS)));\n`);
    const r = spawnSync(process.execPath, ['--require', rss, cliPath, 'runs', 'logs', runId, 'only', '--tail', '2', '-w', tw.dir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('second to last\nlast line\n');
    const maxRssMiB = Number(readFileSync(join(dir, 'rss.txt'), 'utf8')) / 1024;
    // The CLI itself needs ~60-80 MiB; reading the log whole took more than 1 GiB.
    expect(maxRssMiB).toBeLessThan(200);
  });
});
