// What the engine does for the azureml package (AZUREML.md sections 10.4b, d, f), with real
// processes: working copies and artifacts, snapshots taken at submit, globs and path lists,
// paths that do not exist yet, input modes, output paths and register_as, Python-style
// arguments, run.fail(), MILLRACE_CLI, datastore aliases and x-* keys.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { submitRun } from '../../main/executor/submit.js';
import { definitionId } from '../../main/executor/plan.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { execConfig, runPipeline, sh, step, writePipeline } from '../helpers/executor.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let tmp: TempWorkspace;
let ws: Workspace;
const setup = () => {
  tmp = tempWorkspace(execConfig(2));
  ws = tmp.open();
};
afterEach(() => {
  ws?.close();
  tmp?.cleanup();
});
const ds = (...p: string[]) => join(tmp.dir, 'datastores', 'default', ...p);
const put = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

describe('working copies (section 10.4d)', () => {
  it('runs each step in a copy of its code: the source folder is untouched, ./outputs and ./logs become artifacts, reuse holds', async () => {
    setup();
    put(join(tmp.dir, 'pipelines', 'src', 'train.py'), [
      'import os, pathlib',
      'pathlib.Path("scratch.txt").write_text("written in the working copy")',
      'pathlib.Path("train.py").write_text("# overwritten by the step itself")',
      'os.makedirs("outputs", exist_ok=True); pathlib.Path("outputs/model.txt").write_text("weights")',
      'os.makedirs("logs", exist_ok=True); pathlib.Path("logs/train.log").write_text("epoch 1")',
      'print(os.getcwd())',
    ].join('\n'));
    const file = writePipeline(tmp, 'wc', { steps: { train: { type: 'python', script: 'train.py', source_directory: 'src' } } });
    const first = await runPipeline(ws, file);
    expect(first.status).toBe('Completed');
    const stepDir = join(ws.runDir(first.runId), 'train');
    expect(readFileSync(join(stepDir, 'outputs', 'model.txt'), 'utf8')).toBe('weights');
    expect(readFileSync(join(stepDir, 'logs', 'train.log'), 'utf8')).toBe('epoch 1');
    expect(existsSync(join(stepDir, 'wd'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'pipelines', 'src', 'scratch.txt'))).toBe(false);
    expect(readFileSync(join(tmp.dir, 'pipelines', 'src', 'train.py'), 'utf8')).toContain('import os');
    expect(readFileSync(join(stepDir, 'std_log.txt'), 'utf8')).toContain(join(stepDir, 'wd'));
    const manifest = JSON.parse(readFileSync(join(stepDir, 'snapshot.json'), 'utf8'));
    expect(existsSync(join(tmp.dir, 'snapshots', manifest.snapshot, 'train.py'))).toBe(true);
    // What the step wrote changed neither the code nor its key: the second run reuses it.
    const second = await runPipeline(ws, file);
    expect(step(second.rec, 'train').reusedFrom).toBe(step(first.rec, 'train').id);
  });

  it('takes the snapshot at submit: an edit made while the run waits does not change what it runs', async () => {
    setup();
    put(join(tmp.dir, 'pipelines', 'code', 'say.py'), 'print("as submitted")');
    const file = writePipeline(tmp, 'snap', {
      steps: {
        wait: { type: 'command', command: ['sleep', '0.5'], allow_reuse: false },
        say: { type: 'python', script: 'say.py', source_directory: 'code', run_after: ['wait'] },
      },
    });
    const { runId, runner } = submitRun(ws, file, { trigger: { kind: 'cli' } });
    writeFileSync(join(tmp.dir, 'pipelines', 'code', 'say.py'), 'print("edited later")');
    expect(await runner.run()).toBe('Completed');
    const log = readFileSync(join(ws.runDir(runId), 'say', 'std_log.txt'), 'utf8');
    expect(log).toContain('as submitted');
    expect(log).not.toContain('edited later');
  });
});

describe('inputs (section 10.4b)', () => {
  it('globs and path lists: a folder of links at each file relative to its fixed prefix; hidden files never match; the key follows the matched content', async () => {
    setup();
    put(ds('sales', '2025', 'q1.csv'), 'a\n1\n');
    put(ds('sales', '2025', 'q2.csv'), 'a\n2\n');
    put(ds('sales', '.hidden', 'q9.csv'), 'a\n9\n');
    put(ds('sales', '2025', 'notes.txt'), 'not a csv');
    put(ds('extra', 'x.csv'), 'a\n3\n');
    const file = writePipeline(tmp, 'glob', {
      steps: {
        list: {
          type: 'command',
          inputs: {
            sales: { datastore: 'workspaceblobstore', path: 'sales/**/*.csv', kind: 'tabular' },
            both: { paths: [{ datastore: 'default', path: 'sales/2025/q1.csv' }, { datastore: 'default', path: 'extra/*.csv' }] },
          },
          command: sh('cd "$0" && find . -name "*.csv" | sort; cd "$1" && find . -name "*.csv" | sort; printf "%s" "$MILLRACE_INPUTS" > "$2"', '${{inputs.sales}}', '${{inputs.both}}', join(tmp.dir, 'inputs.json')),
        },
      },
    });
    const first = await runPipeline(ws, file);
    expect(first.status, step(first.rec, 'list').error ?? '').toBe('Completed');
    const log = readFileSync(join(ws.runDir(first.runId), 'list', 'std_log.txt'), 'utf8');
    expect(log).toContain('./2025/q1.csv\n./2025/q2.csv\n./q1.csv\n./x.csv');
    expect(log).not.toContain('q9');
    const entries = JSON.parse(readFileSync(join(tmp.dir, 'inputs.json'), 'utf8'));
    expect(entries.sales).toMatchObject({ kind: 'tabular', mode: 'mount', files: [ds('sales', '2025', 'q1.csv'), ds('sales', '2025', 'q2.csv')] });
    expect(lstatSync(join(entries.sales.path, '2025', 'q1.csv')).isSymbolicLink()).toBe(true);
    // Unchanged data: reused; a matched file changes: rerun.
    expect(step((await runPipeline(ws, file)).rec, 'list').reusedFrom).not.toBeNull();
    writeFileSync(ds('sales', '2025', 'q2.csv'), 'a\n22\n');
    expect(step((await runPipeline(ws, file)).rec, 'list').reusedFrom).toBeNull();
  });

  it('a path parameter may name what does not exist yet; a fixed path must exist; neither may leave the datastore', async () => {
    setup();
    const file = writePipeline(tmp, 'later', {
      parameters: { where: { type: 'path', default: 'incoming/today' } },
      steps: { see: { type: 'command', inputs: { d: { datastore: 'default', path: '${{parameters.where}}' } }, command: sh('echo "$0"; test -e "$0" || echo missing', '${{inputs.d}}') } },
    });
    const r = await runPipeline(ws, file);
    expect(r.status).toBe('Completed');
    expect(readFileSync(join(ws.runDir(r.runId), 'see', 'std_log.txt'), 'utf8')).toContain(`${ds('incoming', 'today')}\nmissing`);
    expect(existsSync(ds('incoming'))).toBe(false);
    expect(() => submitRun(ws, file, { trigger: { kind: 'cli' }, parameters: { where: '../../etc' } })).toThrow(/parameter 'where': a datastore path may not contain '\.\.'/);
    const fixed = writePipeline(tmp, 'fixed', { steps: { see: { type: 'command', inputs: { d: { datastore: 'default', path: 'nope' } }, command: ['true'] } } });
    expect(() => submitRun(ws, fixed, { trigger: { kind: 'cli' } })).toThrow(/nope does not exist/);
  });

  it('download copies, direct renders the dataset id (the same canonical hash as the Python side), path_on_compute links into the working copy', async () => {
    setup();
    put(ds('raw', 'data.csv'), 'a,b\n1,2\n');
    const file = writePipeline(tmp, 'modes', {
      steps: {
        use: {
          type: 'command',
          inputs: {
            copy: { datastore: 'default', path: 'raw', mode: 'download' },
            id: { datastore: 'default', path: 'raw/data.csv', mode: 'direct', kind: 'tabular' },
            here: { datastore: 'default', path: 'raw', path_on_compute: 'data/in' },
          },
          command: sh('echo "copy=$0"; echo "id=$1"; echo "here=$2"; cat data/in/data.csv', '${{inputs.copy}}', '${{inputs.id}}', '${{inputs.here}}'),
        },
      },
    });
    const r = await runPipeline(ws, file);
    expect(r.status, step(r.rec, 'use').error ?? '').toBe('Completed');
    const log = readFileSync(join(ws.runDir(r.runId), 'use', 'std_log.txt'), 'utf8');
    const copy = join(ws.runDir(r.runId), 'use', 'inputs', 'copy');
    expect(log).toContain(`copy=${copy}`);
    expect(lstatSync(join(copy, 'data.csv')).isFile()).toBe(true);
    const py = spawnSync('python3', ['-c', 'import json,hashlib,sys; print(hashlib.sha256(json.dumps({"kind":"tabular","paths":[{"datastore":"default","path":"raw/data.csv"}]}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest())'], { encoding: 'utf8' });
    expect(log).toContain(`id=${py.stdout.trim()}`);
    expect(definitionId('tabular', [{ datastore: 'default', path: 'raw/data.csv' }])).toBe(py.stdout.trim());
    expect(log).toContain(`here=${join(ws.runDir(r.runId), 'use', 'wd', 'data', 'in')}`);
    expect(log).toContain('a,b\n1,2');
  });
});

describe('outputs, arguments and the run context', () => {
  it('an output with its own path and register_as: written there, registered as a dataset version once Completed (reused too)', async () => {
    setup();
    const file = writePipeline(tmp, 'reg', {
      steps: {
        make: {
          type: 'command',
          outputs: { table: { datastore: 'workspacefilestore', path: 'results/{output-name}', register_as: { name: 'Clean Table', kind: 'tabular' } } },
          command: sh('echo "a,b" > "$0/t.csv"', '${{outputs.table}}'),
        },
      },
    });
    const r = await runPipeline(ws, file);
    expect(r.status, step(r.rec, 'make').error ?? '').toBe('Completed');
    expect(step(r.rec, 'make').outputs.table).toBe(ds('results', 'table'));
    expect(readFileSync(ds('results', 'table', 't.csv'), 'utf8')).toBe('a,b\n');
    expect(ws.store.datasets.get('Clean Table')).toMatchObject({ datastore: 'default', path: 'results/table', kind: 'tabular', version: 1 });
    const again = await runPipeline(ws, file);
    expect(step(again.rec, 'make').reusedFrom).not.toBeNull();
    expect(ws.store.datasets.get('Clean Table').version).toBe(1); // the same definition: the same version
  });

  it("argument_style azureml renders parameters as Python's str(); x-* keys are carried and change nothing; a step may name its python", async () => {
    setup();
    const file = writePipeline(tmp, 'py', {
      argument_style: 'azureml',
      'x-azureml': { sdk: 'test' },
      parameters: { rate: { type: 'number', default: 1 }, fast: { type: 'boolean', default: true }, n: { type: 'integer', default: 3 }, tiny: { type: 'number', default: 0.00001 } },
      steps: {
        show: {
          type: 'command',
          'x-azureml': { class: 'CommandStep' },
          command: ['echo', '${{parameters.rate}}', '${{parameters.fast}}', '${{parameters.n}}', '${{parameters.tiny}}'],
        },
        which: { type: 'python', script: 'which.py', python: 'python3' },
      },
    });
    put(join(tmp.dir, 'pipelines', 'which.py'), 'import sys; print(sys.executable)');
    const r = await runPipeline(ws, file);
    expect(r.status).toBe('Completed');
    expect(readFileSync(join(ws.runDir(r.runId), 'show', 'std_log.txt'), 'utf8')).toContain('1.0 True 3 1e-05\n');
    const spec = JSON.parse(JSON.stringify(ws.store.runs.state(r.runId)!.definition)).spec;
    expect(spec['x-azureml']).toEqual({ sdk: 'test' });
    expect(spec.steps.show['x-azureml']).toEqual({ class: 'CommandStep' });
  });

  it('run.fail() fails a step that exits 0; MILLRACE_CLI starts this Millrace', async () => {
    setup();
    put(join(tmp.dir, 'pipelines', 'fails.py'), [
      'import json, os, subprocess',
      'from azureml.core import Run',
      'cli = json.loads(os.environ["MILLRACE_CLI"])',
      'out = subprocess.run(cli + ["runs", "list", "--json", "-w", os.environ["MILLRACE_WORKSPACE"]], capture_output=True, text=True)',
      'print("cli ok" if out.returncode == 0 and json.loads(out.stdout) else "cli failed: " + out.stderr)',
      'Run.get_context().fail(error_details="the data was bad")',
    ].join('\n'));
    const file = writePipeline(tmp, 'fail', { steps: { bad: { type: 'python', script: 'fails.py' }, after: { type: 'command', command: ['true'], run_after: ['bad'] } } });
    const r = await runPipeline(ws, file);
    expect(r.status).toBe('Failed');
    expect(step(r.rec, 'bad')).toMatchObject({ status: 'Failed', exitCode: 0, error: 'the data was bad' });
    expect(readFileSync(join(ws.runDir(r.runId), 'bad', 'std_log.txt'), 'utf8')).toContain('cli ok');
    expect(step(r.rec, 'after').status).toBe('Canceled');
  });
});
