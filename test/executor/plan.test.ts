// planRun (main/executor/plan.ts): names are looked up as own properties, and folders too broad to
// hash (the root, the home folder, the workspace or a folder holding it) are refused before a run exists.
import { mkdirSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { planRun } from '../../main/executor/plan.js';
import { tooBroad } from '../../main/reuse/folder-scope.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { UserError } from '../../shared/errors.js';
import { resolveParameters } from '../../shared/params.js';
import { validatePipeline } from '../../shared/pipeline/validate.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tw: TempWorkspace;
let ws: Workspace;
const NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => n !== '__proto__');

beforeAll(() => {
  tw = tempWorkspace();
  ws = tw.open();
  mkdirSync(join(tw.dir, 'datastores', 'default', 'raw'), { recursive: true });
});
afterAll(() => {
  ws.close();
  tw.cleanup();
});

/** Plans `spec` written as pipelines/p.yml (validated without workspace names, as planRun's own checks are under test). */
function plan(spec: object, params: Record<string, unknown> = {}) {
  const file = tw.write('pipelines/p.yml', stringify(spec));
  const v = validatePipeline(file, stringify(spec));
  return planRun(ws, v, resolveParameters(v.spec.parameters, params));
}

function problems(spec: object): string[] {
  try {
    plan(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).details;
  }
  throw new Error('expected planRun to refuse');
}

describe('planRun and Object.prototype names', () => {
  it.each(NAMES)('%s: an unknown compute target, environment and datastore', (n) => {
    expect(problems({ steps: { a: { type: 'command', command: ['true'], compute: n, environment: n, inputs: { x: { datastore: n, path: 'raw' } } } } })).toEqual([
      `step 'a': unknown compute target '${n}'`,
      `step 'a': unknown environment '${n}'`,
      `step 'a' input 'x': unknown datastore '${n}'`,
    ]);
  });

  it.each(NAMES)('%s: a declared parameter of that name resolves to its value', (n) => {
    const p = plan({ parameters: { [n]: { type: 'string', default: 'd' } }, steps: { a: { type: 'command', command: ['echo', `\${{parameters.${n}}}`] } } }, { [n]: 'given' });
    expect(p.steps[0].args).toEqual(['given']);
    expect(p.steps[0].parameters).toEqual({ [n]: 'given' });
  });
});

describe('folders too broad to hash', () => {
  const step = (extra: object) => ({ steps: { a: { type: 'command', command: ['true'], ...extra } } });

  it('refuses the file system root, the home folder, the workspace and a folder holding it as source_directory', () => {
    const link = join(tw.dir, 'root-link');
    symlinkSync('/', link);
    for (const [dir, why] of [
      ['/', `${'/'} is the file system root`],
      [link, `${link} is the file system root`],
      [homedir(), `${homedir()} is your home folder`],
      ['..', `${tw.dir} is the workspace folder`],
      [dirname(tw.dir), `${dirname(tw.dir)} contains the workspace ${tw.dir}`],
    ]) {
      const p = problems(step({ source_directory: dir }));
      expect(p).toHaveLength(1);
      expect(p[0]).toMatch(new RegExp(`^step 'a': source_directory ${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; every file in it would be hashed`));
    }
    expect(problems({ defaults: { source_directory: '/' }, ...step({}) })[0]).toMatch(/^step 'a': source_directory \/ is the file system root/);
  });

  it('refuses the same as an input path; an input path never leaves its datastore', () => {
    // An input is a path on a datastore (AZUREML.md section 10.4f): '/' and '..' are refused as such.
    expect(problems(step({ inputs: { x: { datastore: 'default', path: '/' } } }))).toEqual([
      "step 'a' input 'x': path '/' must stay inside datastore 'default' (relative, no '..')",
    ]);
    expect(problems(step({ inputs: { x: { datastore: 'default', path: '../..' } } }))).toEqual([
      "step 'a' input 'x': path '../..' must stay inside datastore 'default' (relative, no '..')",
    ]);
    // A datastore that is itself too broad a folder is named as one.
    ws.config.datastores.everything = { path: '/' };
    try {
      expect(problems(step({ inputs: { x: { datastore: 'everything', path: '' } } }))).toEqual([
        expect.stringMatching(/^step 'a' input 'x': \/ is the file system root; /),
      ]);
    } finally {
      delete ws.config.datastores.everything;
    }
  });

  it('accepts folders inside the workspace and next to it', () => {
    mkdirSync(join(tw.dir, 'pipelines', 'code'), { recursive: true });
    const p = plan(step({ source_directory: 'code', inputs: { x: { datastore: 'default', path: 'raw' } } }));
    expect(p.steps[0].sourceDir).toBe(join(tw.dir, 'pipelines', 'code'));
    expect(tooBroad(join(dirname(tw.dir), 'elsewhere'), tw.dir, '/home/nobody')).toBeUndefined();
    expect(tooBroad('/home/nobody', tw.dir, '/home/nobody/')).toBe('is your home folder');
  });
});
