// Bug 7 of issue 14: after `publish --version 1.0` from the CLI, a UI publish with a blank version
// made "1" and silently became the endpoint's default. Versions without a number given continue the
// name's numbering in its own shape; an endpoint's default changes only when asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishPipeline } from '../../main/publish/publish.js';
import { serve, type Served } from '../server/helpers.js';

let s: Served;
const PIPELINE = 'name: v\nsteps:\n  a:\n    type: command\n    command: [python3, -c, "print(1)"]\n';
const publish = (name: string, version?: string) => publishPipeline(s.ws, `${s.tw.dir}/pipelines/v.yml`, { name, version }).version;

beforeAll(async () => {
  s = await serve();
  s.tw.write('pipelines/v.yml', PIPELINE);
});
afterAll(() => s.stop());

describe('version numbering', () => {
  it('continues the latest numbered version in its shape: 1.0 -> 2.0, 3 -> 4, 1.2.3 -> 2.0.0', () => {
    publish('dotted', '1.0');
    expect(publish('dotted')).toBe('2.0');
    expect(publish('dotted')).toBe('3.0');
    publish('plain', '3');
    expect(publish('plain')).toBe('4');
    publish('three', '1.2.3');
    publish('three', 'beta');
    expect(publish('three')).toBe('2.0.0');
    // Compared as numbers, not text: 10.0 is newer than 9.0.
    publish('ten', '9.0');
    publish('ten', '10.0');
    expect(publish('ten')).toBe('11.0');
    publish('words', 'beta');
    expect(publish('words')).toBe('1');
  });
});

describe('endpoint defaults', () => {
  it('a version added to an endpoint becomes its default only when asked', async () => {
    const first = await s.api('POST', '/api/v1/published-pipelines', { file: 'v.yml', name: 'train', version: '1.0', endpoint: 'train-ep' });
    expect(first.version).toBe('1.0');
    const second = await s.api('POST', '/api/v1/published-pipelines', { file: 'v.yml', name: 'train', endpoint: 'train-ep', makeDefault: false });
    expect(second.version).toBe('2.0');
    const ep = await s.api('GET', '/api/v1/pipeline-endpoints/train-ep');
    expect(ep.defaultVersion).toBe('1.0');
    expect(ep.versions.map((v: any) => v.version)).toEqual(['1.0', '2.0']);
    const third = await s.api('POST', '/api/v1/published-pipelines', { file: 'v.yml', name: 'train', endpoint: 'train-ep', makeDefault: true });
    expect((await s.api('GET', '/api/v1/pipeline-endpoints/train-ep')).defaultVersion).toBe(third.version);
  });

  it('the first version of a new endpoint is its default (an endpoint always has one)', async () => {
    await s.api('POST', '/api/v1/published-pipelines', { file: 'v.yml', name: 'fresh', endpoint: 'fresh-ep', makeDefault: false });
    expect((await s.api('GET', '/api/v1/pipeline-endpoints/fresh-ep')).defaultVersion).toBe('1');
  });
});
