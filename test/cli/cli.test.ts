// The `millrace` command line (DESIGN.md section 6) as a real child process (`npm run build` first).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/api/contract.js';
import { cli, tempWorkspace } from '../helpers/workspace.js';

let root: string;
let dir: string;
const runsList = () => {
  const r = cli(['runs', 'list', '-w', dir, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: string; status: string }[];
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'millrace-cli-'));
  dir = join(root, 'ws');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The tests of this file build on each other: init, then runs of the sample pipeline.
describe('millrace CLI', () => {
  let first: { id: string; steps: { id: string; name: string }[] };

  it('init creates the workspace layout with the sample pipeline', () => {
    const r = cli(['init', dir]);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['millrace.yml', 'millrace.db', 'pipelines/sample.yml', 'pipelines/scripts/data_prep.py', 'pipelines/scripts/train_model.py', 'datastores/default', 'runs']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const again = cli(['init', dir, '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ dir, created: false });
  });

  it('run --json prints exactly one JSON document with the run record', () => {
    const r = cli(['run', 'pipelines/sample.yml', '-w', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout); // throws unless stdout is exactly one document
    expect(rec).toMatchObject({ experiment: 'training-pipeline', status: 'Completed', parameters: { reg_rate: 0.01, raw_path: 'raw' } });
    for (const k of ['id', 'experiment', 'status', 'parameters', 'steps', 'metrics']) expect(rec).toHaveProperty(k);
    expect(rec.steps.map((s: { name: string }) => s.name)).toEqual(['prepare_data', 'train_model']);
    for (const s of rec.steps) {
      for (const k of ['id', 'name', 'status', 'reusedFrom', 'durationMs', 'outputs']) expect(s).toHaveProperty(k);
      expect(s.status).toBe('Completed');
      expect(s.reusedFrom).toBeNull();
      expect(typeof s.durationMs).toBe('number');
    }
    const prepped = rec.steps[0].outputs.prepped;
    expect(prepped.startsWith(join(dir, 'datastores', 'default'))).toBe(true);
    expect(existsSync(prepped)).toBe(true);
    // Human progress goes to stderr.
    expect(r.stderr).toContain(`Run ${rec.id}`);
    first = rec;
  });

  it('a second run reuses prepare_data and reruns train_model (allow_reuse: false)', () => {
    const r = cli(['run', 'pipelines/sample.yml', '-w', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout);
    const [prep, train] = rec.steps;
    expect(prep).toMatchObject({ name: 'prepare_data', status: 'Completed', reusedFrom: first.steps[0].id });
    expect(train).toMatchObject({ name: 'train_model', status: 'Completed', reusedFrom: null });
    expect(r.stderr).toMatch(/prepare_data\s+Completed\s+\(reused from/);
  });

  it('prints human progress on stdout without --json and exits 0', () => {
    const r = cli(['run', 'pipelines/sample.yml', '-w', dir, '-p', 'reg_rate=0.1', '-e', 'tuning']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Run \w+ of training-pipeline \(experiment 'tuning'\)/);
    expect(r.stdout).toMatch(/train_model\s+Completed/);
    expect(r.stdout).toMatch(/Run \w+ Completed in /);
    const latest = runsList()[0];
    expect(latest).toMatchObject({ status: 'Completed', experiment: 'tuning', parameters: { reg_rate: 0.1 } });
  });

  it('rejects a bad parameter value with exit 2, the name on stderr, and no run', () => {
    const before = runsList().length;
    const r = cli(['run', 'pipelines/sample.yml', '-w', dir, '-p', 'reg_rate=abc']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('reg_rate');
    expect(r.stdout).toBe('');
    expect(runsList()).toHaveLength(before);
  });

  it('rejects an unknown parameter with exit 2, the name on stderr, and no run', () => {
    const before = runsList().length;
    const r = cli(['run', 'pipelines/sample.yml', '-w', dir, '-p', 'nope=1', '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'nope'");
    expect(r.stdout).toBe('');
    expect(runsList()).toHaveLength(before);
  });

  it('rejects an invalid pipeline with exit 2 and file:line:col on stderr', () => {
    writeFileSync(join(dir, 'pipelines', 'bad.yml'), 'steps:\n  a:\n    type: command\n    command: [true]\n    run_after: [ghost]\n');
    const r = cli(['run', 'pipelines/bad.yml', '-w', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'pipelines', 'bad.yml')}:5:`);
    expect(r.stderr).toContain("'ghost'");
  });

  it('exits 1 when the run fails', () => {
    writeFileSync(join(dir, 'pipelines', 'fails.yml'), 'steps:\n  a:\n    type: command\n    command: [sh, -c, "exit 4"]\n');
    const r = cli(['run', 'pipelines/fails.yml', '-w', dir, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'Failed', steps: [{ name: 'a', status: 'Failed' }] });
  });

  it('runs list --json lists the runs newest first', () => {
    const list = runsList();
    expect(list.length).toBe(4);
    expect(list[list.length - 1].id).toBe(first.id);
    expect(list.map((r) => r.status)).toEqual(['Failed', 'Completed', 'Completed', 'Completed']);
    const failed = cli(['runs', 'list', '-w', dir, '--json', '--status', 'Failed']);
    expect(JSON.parse(failed.stdout)).toHaveLength(1);
    expect(cli(['runs', 'list', '-w', dir, '--status', 'Done']).status).toBe(2);
  });

  it('runs show --json prints the run record, also for a unique id prefix', () => {
    const r = cli(['runs', 'show', first.id, '-w', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: first.id, status: 'Completed', steps: [{ name: 'prepare_data' }, { name: 'train_model' }] });
    const byPrefix = cli(['runs', 'show', first.id.slice(0, 13), '-w', dir, '--json']);
    expect(byPrefix.status, byPrefix.stderr).toBe(0);
    expect(JSON.parse(byPrefix.stdout).id).toBe(first.id);
    const human = cli(['runs', 'show', first.id, '-w', dir]);
    expect(human.stdout).toContain(`Run ${first.id}  Completed`);
  });

  it('runs logs prints the step log with what the script printed', () => {
    const r = cli(['runs', 'logs', first.id, 'train_model', '-w', dir]);
    expect(r.status, r.stderr).toBe(0);
    // What train_model.py prints, e.g. "Accuracy: 0.7731  AUC: 0.8412".
    expect(r.stdout).toMatch(/Training on \d+ rows, testing on \d+ rows/);
    expect(r.stdout).toMatch(/Accuracy: 0\.\d{4}\s+AUC: 0\.\d{4}/);
    expect(r.stdout).toContain('[millrace]'); // the header line of the attempt
    const json = cli(['runs', 'logs', first.id, '-w', dir, '--json']);
    const logs = JSON.parse(json.stdout);
    expect(logs.map((l: { step: string }) => l.step)).toEqual(['prepare_data', 'train_model']);
    expect(logs[1].log).toBe(readFileSync(join(dir, 'runs', first.id, 'train_model', 'std_log.txt'), 'utf8'));
    expect(cli(['runs', 'logs', first.id, 'nosuch', '-w', dir]).status).toBe(2);
  });

  it('registers and lists datasets', () => {
    const r = cli(['dataset', 'register', 'raw', '--datastore', 'default', '--path', 'raw', '--kind', 'tabular', '--json', '-w', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'raw', version: 1, datastore: 'default', path: 'raw', kind: 'tabular' });
    const same = cli(['dataset', 'register', 'raw', '--datastore', 'default', '--path', 'raw', '--kind', 'tabular', '--json', '-w', dir]);
    expect(JSON.parse(same.stdout).version).toBe(1); // unchanged: no new version
    const list = cli(['dataset', 'list', '--json', '-w', dir]);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'raw', version: 1, kind: 'tabular' })]);
    expect(cli(['dataset', 'register', 'x', '--datastore', 'default', '--path', 'no/such/path', '-w', dir]).status).toBe(2);
    expect(cli(['dataset', 'register', 'x', '--datastore', 'nosuch', '--path', 'raw', '-w', dir]).status).toBe(2);
    expect(cli(['dataset', 'register', 'x', '--datastore', 'default', '--path', 'raw', '--kind', 'image', '-w', dir]).status).toBe(2);
  });

  it('exits 2 for an unknown run id, with the id on stderr', () => {
    for (const cmd of [['runs', 'show', 'nosuchrun'], ['runs', 'logs', 'nosuchrun'], ['runs', 'cancel', 'nosuchrun']]) {
      const r = cli([...cmd, '-w', dir]);
      expect(r.status, cmd.join(' ')).toBe(2);
      expect(r.stderr).toContain('nosuchrun');
    }
  });

  it('exits 2 for bad usage and for a folder that is not a workspace', () => {
    expect(cli(['frobnicate', '-w', dir]).status).toBe(2);
    expect(cli(['run', '-w', dir]).status).toBe(2);
    const r = cli(['runs', 'list', '-w', root]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a Millrace workspace');
  });

  it('finds the workspace from MILLRACE_WORKSPACE and from the current folder', () => {
    const viaEnv = cli(['runs', 'list', '--json'], { env: { MILLRACE_WORKSPACE: dir } });
    expect(JSON.parse(viaEnv.stdout)).toHaveLength(4);
    const viaCwd = cli(['runs', 'list', '--json'], { cwd: dir, env: { MILLRACE_WORKSPACE: '' } });
    expect(viaCwd.status, viaCwd.stderr).toBe(0);
    expect(JSON.parse(viaCwd.stdout)).toHaveLength(4);
  });
});

describe('a call added to the contract reaches every transport (docs/architecture.md)', () => {
  it('runs/tag: one handler, one CLI formatter; HTTP and IPC get it from the contract', async () => {
    const tw = tempWorkspace();
    try {
      tw.write('pipelines/one.yml', 'name: one\nsteps:\n  a: { type: command, command: [true] }\n');
      const run = JSON.parse(cli(['run', 'pipelines/one.yml', '-w', tw.dir, '--json']).stdout);
      const tagged = cli(['runs', 'tag', run.id.slice(0, 12), 'team=ml', 'stage=dev', '-w', tw.dir, '--json']);
      expect(tagged.status, tagged.stderr).toBe(0);
      expect(JSON.parse(tagged.stdout)).toEqual({ id: run.id, tags: { team: 'ml', stage: 'dev' } });
      const step = cli(['runs', 'tag', run.steps[0].id, 'checked=yes', '-w', tw.dir, '--json']);
      expect(JSON.parse(step.stdout)).toEqual({ id: run.steps[0].id, tags: { checked: 'yes' } });
      const removed = cli(['runs', 'tag', run.id, '--remove', 'stage', '-w', tw.dir, '--json']);
      expect(JSON.parse(removed.stdout).tags).toEqual({ team: 'ml' });
      expect(JSON.parse(cli(['runs', 'show', run.id, '-w', tw.dir, '--json']).stdout).tags).toEqual({ team: 'ml' });
      expect(API['runs/tag']).toMatchObject({ method: 'POST', path: '/runs/:id/tags' });
      const bad = cli(['runs', 'tag', run.id, 'noequals', '-w', tw.dir]);
      expect(bad.status).toBe(2);
    } finally {
      tw.cleanup();
    }
  });
});
