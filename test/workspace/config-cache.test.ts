// millrace.yml validated once per content (main/workspace/config-cache.ts, issue 13).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../main/workspace/workspace.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const cacheFile = () => join(dir, '.millrace', 'config-cache.json');

it('keeps the validated millrace.yml by its text: read back while the text is the same, validated again when it changes', () => {
  dir = mkdtempSync(join(tmpdir(), 'millrace-config-'));
  writeFileSync(join(dir, 'millrace.yml'), 'executor: { kill_grace_ms: 1234 }\n');
  expect(loadConfig(dir).killGraceMs).toBe(1234);
  const cached = JSON.parse(readFileSync(cacheFile(), 'utf8'));
  expect(cached.spec).toEqual({ executor: { kill_grace_ms: 1234 } });
  // The same text: the cache is what is read (a changed cached value shows it).
  cached.spec.executor.kill_grace_ms = 999;
  writeFileSync(cacheFile(), JSON.stringify(cached));
  expect(loadConfig(dir).killGraceMs).toBe(999);
  // Other text: validated again, and the cache follows.
  writeFileSync(join(dir, 'millrace.yml'), 'executor: { kill_grace_ms: 4321 }\n');
  expect(loadConfig(dir).killGraceMs).toBe(4321);
  // Invalid text is refused with its place, whatever the cache holds.
  writeFileSync(join(dir, 'millrace.yml'), 'executor: { kill_grace_ms: soon }\n');
  expect(() => loadConfig(dir)).toThrow(/millrace\.yml:1:\d+/);
  // A cache that is not JSON is ignored.
  writeFileSync(join(dir, 'millrace.yml'), 'executor: { kill_grace_ms: 50 }\n');
  writeFileSync(cacheFile(), '{not json');
  expect(loadConfig(dir).killGraceMs).toBe(50);
});
