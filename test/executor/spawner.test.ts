// The spawn helper is an optimisation: with it, without it (MILLRACE_SPAWNER=node) and when it
// cannot start (no such python), steps run, fail and report exactly the same.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const PIPELINE = `name: p
steps:
  a:
    type: command
    command: [sh, -c, 'echo "hello $0" > "$1/x"; echo logged', from-a, "\${{outputs.o}}"]
    outputs: { o: { datastore: default } }
  b:
    type: command
    command: [sh, -c, 'cat "$0/x"; exit 3', "\${{inputs.i}}"]
    inputs: { i: "\${{steps.a.outputs.o}}" }
  c:
    type: command
    command: [does-not-exist-anywhere]
    run_after: [a]
continue_on_step_failure: true
`;

describe.each([
  ['helper', {}],
  ['node spawn', { MILLRACE_SPAWNER: 'node' }],
  ['helper unavailable', { MILLRACE_SPAWNER_PYTHON: '/nonexistent/python3' }],
])('step processes via %s', (_label, env) => {
  let tmp: TempWorkspace;
  afterEach(() => tmp?.cleanup());

  it('passes data, reports exit codes and unknown programs', () => {
    tmp = tempWorkspace();
    writeFileSync(join(tmp.dir, 'pipelines', 'p.yml'), PIPELINE);
    const r = cli(['run', 'pipelines/p.yml', '-w', tmp.dir, '--json'], { env: { ...process.env, ...env } });
    expect(r.status).toBe(1);
    const rec = JSON.parse(r.stdout);
    const step = (n: string) => rec.steps.find((s: { name: string }) => s.name === n);
    expect(step('a').status).toBe('Completed');
    expect(step('b').status).toBe('Failed');
    expect(step('b').exitCode).toBe(3);
    expect(step('b').error).toBe('exited with code 3');
    expect(step('c').status).toBe('Failed');
    expect(step('c').error).toMatch(/cannot start 'does-not-exist-anywhere': not found/);
    const logs = JSON.parse(cli(['runs', 'logs', rec.id, '-w', tmp.dir, '--json']).stdout);
    expect(logs.find((l: { step: string }) => l.step === 'a').log).toMatch(/\[millrace\].*attempt 1[^\n]*\nlogged\n/);
    expect(logs.find((l: { step: string }) => l.step === 'b').log).toContain('hello from-a');
  });
});
