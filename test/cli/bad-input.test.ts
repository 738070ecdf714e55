// The CLI on bad input (`npm run build` first): exit 2 with a message saying what and where, and
// nothing recorded; and a recovery notice that stays one readable line.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId } from '../../main/store/ids.js';
import { Store } from '../../main/store/store.js';
import { cli, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tw: TempWorkspace;
const runCount = () => {
  const store = Store.open(join(tw.dir, 'millrace.db'));
  try {
    return store.runQueries.page({ limit: 1, offset: 0 }).total;
  } finally {
    store.close();
  }
};

beforeAll(() => {
  tw = tempWorkspace();
  tw.write('pipelines/p.yml', 'parameters:\n  rate: { type: number, default: 1 }\nsteps:\n  a: { type: command, command: [echo, "${{parameters.rate}}"] }\n');
});
afterAll(() => tw.cleanup());

/** Runs the CLI and expects exit 2 and no run recorded; returns stderr. */
function refused(args: string[]): string {
  const before = runCount();
  const r = cli([...args, '-w', tw.dir]);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|ReferenceError|at .*\.js:\d+/);
  expect(runCount()).toBe(before);
  return r.stderr;
}

describe('millrace run refuses bad input with exit 2', () => {
  it('a YAML alias to no anchor, at file:line:col', () => {
    const file = tw.write('pipelines/alias.yml', 'steps:\n  a:\n    type: command\n    command: [*nope]\n');
    expect(refused(['run', 'pipelines/alias.yml'])).toContain(`${file}:4:15: alias '*nope' names no anchor`);
  });

  it('a billion laughs, at the alias that crosses the limit', () => {
    const lines = ['description: &l0 lol'];
    for (let i = 1; i <= 9; i++) lines.push(`x${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    tw.write('pipelines/laughs.yml', `${lines.join('\n')}\nsteps:\n  a: { type: command, command: [true] }\n`);
    expect(refused(['run', 'pipelines/laughs.yml'])).toMatch(/laughs\.yml:7:\d+: aliases expand this file beyond 200,000 values/);
  });

  it('Object.prototype names given with -p (each one is in test/shared/prototype-names.test.ts)', () => {
    for (const n of ['toString', 'constructor']) {
      expect(refused(['run', 'pipelines/p.yml', '-p', `${n}=5`])).toContain(`unknown parameter '${n}' (this pipeline has: rate)`);
    }
    // Refused by the call's own schema, named by its flag.
    expect(refused(['run', 'pipelines/p.yml', '-p', '__proto__=5'])).toContain("-p __proto__: '__proto__' cannot be used as a name");
  });

  it('a 5 MB pipeline name, an over-long experiment name or parameter value', () => {
    tw.write('pipelines/big.yml', `name: ${'n'.repeat(5 * 1024 * 1024)}\nsteps:\n  a: { type: command, command: [true] }\n`);
    expect(refused(['run', 'pipelines/big.yml'])).toContain('big.yml:1:7: name: is too long: at most 256 characters, got 5,242,880');
    expect(refused(['run', 'pipelines/p.yml', '-e', 'e'.repeat(257)])).toContain('-e: is too long: at most 256 characters');
    tw.write('pipelines/s.yml', 'parameters:\n  s: { type: string, default: x }\nsteps:\n  a: { type: command, command: [echo, "${{parameters.s}}"] }\n');
    expect(refused(['run', 'pipelines/s.yml', '-p', `s=${'v'.repeat(32_001)}`])).toContain('-p s: is too long: at most 32,000 characters');
  });

  it('a source_directory that is the file system root', () => {
    tw.write('pipelines/root.yml', 'steps:\n  a: { type: command, command: [true], source_directory: / }\n');
    expect(refused(['run', 'pipelines/root.yml'])).toContain("step 'a': source_directory / is the file system root");
  });

  it('runs logs --tail with something that is not a line count', () => {
    expect(refused(['runs', 'logs', 'x', '--tail', 'two'])).toContain("--tail: expected a whole number of lines from 1 to 100000, got 'two'");
  });
});

describe('the recovery notice', () => {
  it('counts thousands of recovered runs and names only the first few', () => {
    const store = Store.open(join(tw.dir, 'millrace.db'));
    const ids: string[] = [];
    try {
      // Runs owned by a process that is gone (no such pid), as after a crash of `serve`.
      store.rawConnection().transaction(() => {
        for (let i = 0; i < 3000; i++) {
          const id = newRunId();
          ids.push(id);
          store.runs.createPipelineRun({
            id, experiment: 'crashed', pipelineName: 'p', pipelineFile: null, parameters: {}, definition: {},
            trigger: { kind: 'cli' }, owner: { pid: 2 ** 22 + 1, start: 'gone' }, steps: [],
          });
        }
      })();
    } finally {
      store.close();
    }
    const r = cli(['runs', 'list', '-n', '1', '--json', '-w', tw.dir]);
    expect(r.status, r.stderr).toBe(0);
    const notice = r.stderr.split('\n').find((l) => l.startsWith('Recovered'))!;
    const m = /^Recovered 3000 run\(s\) left behind by a millrace process that is gone: ((?:\w+, ){4}\w+) and 2995 more$/.exec(notice);
    expect(m, notice.slice(0, 300)).not.toBeNull();
    for (const id of m![1].split(', ')) expect(ids).toContain(id);
  });
});
