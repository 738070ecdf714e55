// Bug 6 of issue 14: "Submit a run" opened the alphabetically first pipeline, even an invalid one.
import { describe, expect, it } from 'vitest';
import { choosePipeline } from '../../renderer/src/pipelines/choose.js';

const files = [
  { file: 'a-broken.yml', valid: false },
  { file: 'sample.yml', valid: true },
  { file: 'train.yml', valid: true },
];

describe('the pipeline the Pipelines page opens', () => {
  it('is none without a request or a last one: the page asks (never the first file, never an invalid one)', () => {
    expect(choosePipeline(files, undefined, null)).toBeNull();
    expect(choosePipeline(files, undefined, 'a-broken.yml')).toBeNull();
    expect(choosePipeline(files, undefined, 'gone.yml')).toBeNull();
  });
  it('is the last one submitted while it is valid, or the one asked for', () => {
    expect(choosePipeline(files, undefined, 'train.yml')).toBe('train.yml');
    expect(choosePipeline(files, 'a-broken.yml', 'train.yml')).toBe('a-broken.yml');
  });
});
