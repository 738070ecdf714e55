// The incremental metrics-file reader (main/executor/metrics-reader.ts) on real files.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricsReader } from '../../main/executor/metrics-reader.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-metrics-'));
  file = join(dir, 'metrics.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('MetricsReader', () => {
  it('returns nothing before the file exists', () => {
    expect(new MetricsReader(file, 'step', 'parent').read(true)).toEqual({ metrics: [], tags: [], problems: [] });
  });

  it('reads appended lines incrementally and holds back a partial last line until final', () => {
    const r = new MetricsReader(file, 'step', 'parent');
    writeFileSync(file, '{"name":"a","value":1,"ts":5}\n{"name":"b","val');
    const first = r.read();
    expect(first.metrics).toEqual([{ runId: 'step', name: 'a', kind: 'scalar', step: null, value: 1, description: null, ts: 5 }]);
    appendFileSync(file, 'ue":2,"parent":true}\n{"name":"c","value":[1],"kind":"list"}');
    const second = r.read();
    expect(second.metrics.map((m) => [m.runId, m.name, m.value])).toEqual([['parent', 'b', 2]]);
    const last = r.read(true);
    expect(last.metrics.map((m) => [m.name, m.kind, m.value])).toEqual([['c', 'list', [1]]]);
    expect(r.read(true).metrics).toEqual([]);
  });

  it('reports bad lines by line number and keeps going', () => {
    writeFileSync(file, '{"name":"a","value":1}\nnot json\n{"value":2}\n{"name":"k","kind":"bogus"}\n\n{"name":"t","kind":"tag","value":3}\n');
    const b = new MetricsReader(file, 's', 'p').read(true);
    expect(b.metrics.map((m) => m.name)).toEqual(['a']);
    expect(b.tags).toEqual([{ parent: false, key: 't', value: '3' }]);
    expect(b.problems).toEqual([
      'metrics file line 2: not valid JSON',
      'metrics file line 3: expected an object with a non-empty "name"',
      "metrics file line 4: unknown kind 'bogus'",
    ]);
  });

  it('keeps a multi-byte character that a read splits in two', () => {
    const line = Buffer.from('{"name":"précision","value":1}\n');
    const cut = line.indexOf(Buffer.from('é')) + 1; // between the two bytes of é
    const r = new MetricsReader(file, 's', 'p');
    writeFileSync(file, line.subarray(0, cut));
    expect(r.read().metrics).toEqual([]);
    appendFileSync(file, line.subarray(cut));
    const b = r.read();
    expect(b.problems).toEqual([]);
    expect(b.metrics.map((m) => m.name)).toEqual(['précision']);
  });

  it('keeps multi-byte characters across its 1 MiB read chunks', () => {
    const line = '{"name":"τ","value":1,"description":"ünïcödé"}\n';
    const n = Math.ceil((3 << 20) / Buffer.byteLength(line)); // ~3 MiB: every chunk boundary lands somewhere in a line
    writeFileSync(file, line.repeat(n));
    const b = new MetricsReader(file, 's', 'p').read(true);
    expect(b.problems).toEqual([]);
    expect(b.metrics).toHaveLength(n);
    expect(b.metrics.every((m) => m.name === 'τ' && m.description === 'ünïcödé')).toBe(true);
  });
});
