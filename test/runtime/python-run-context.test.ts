// Tests for the Python run context (main/runtime/python/millrace) and the
// sample pipeline scripts. Every test spawns a real python3 child process with
// the engine's environment contract pointing into a fresh temp folder.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const pythonPath = path.join(repoRoot, 'main', 'runtime', 'python');
const templateDir = path.join(repoRoot, 'main', 'workspace', 'template');
const scriptsDir = path.join(templateDir, 'pipelines', 'scripts');
const rawDir = path.join(templateDir, 'datastores', 'default', 'raw');
const PYTHON = process.env.MILLRACE_TEST_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');

type MetricRecord = {
  name: string;
  kind?: string;
  value: unknown;
  step?: number;
  description?: string;
  parent?: boolean;
  ts?: number;
  nonFinite?: string | Record<string, string>;
};

interface StepCtx {
  dir: string;
  runDir: string;
  metricsFile: string;
  env: NodeJS.ProcessEnv;
}

interface PyResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-py-'));
  tempDirs.push(d);
  return d;
}

/** process.env without anything that could leak a run context into the child. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(MILLRACE_|AZUREML_|AML_PARAMETER_)/.test(k) || k === 'PYTHONPATH') continue;
    env[k] = v;
  }
  env.PYTHONPATH = pythonPath;
  env.PYTHONDONTWRITEBYTECODE = '1'; // no __pycache__ inside the repo
  env.PYTHONIOENCODING = 'utf-8';
  env.PYTHONUNBUFFERED = '1';
  return env;
}

/** A step run as the engine would set it up. */
function stepRun(extra: Record<string, string> = {}): StepCtx {
  const dir = tempDir();
  const runDir = path.join(dir, 'runs', 'run-step-1');
  fs.mkdirSync(runDir, { recursive: true });
  const metricsFile = path.join(runDir, 'metrics.jsonl');
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    MILLRACE_RUN_ID: 'run-step-1',
    MILLRACE_PARENT_RUN_ID: 'run-pipeline-1',
    MILLRACE_EXPERIMENT: 'exp-test',
    MILLRACE_WORKSPACE: dir,
    MILLRACE_METRICS_FILE: metricsFile,
    MILLRACE_RUN_DIR: runDir,
    AZUREML_RUN_ID: 'run-step-1',
    ...extra,
  };
  return { dir, runDir, metricsFile, env };
}

function runPython(args: string[], env: NodeJS.ProcessEnv, cwd?: string): PyResult {
  const r = spawnSync(PYTHON, args, { env, cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function py(code: string, env: NodeJS.ProcessEnv, cwd?: string): PyResult {
  return runPython(['-c', code], env, cwd);
}

function ok(r: PyResult): PyResult {
  if (r.status !== 0) {
    throw new Error(`python exited with ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r;
}

function readMetrics(file: string): MetricRecord[] {
  const out: MetricRecord[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as MetricRecord);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: invalid JSON line: ${line}`);
    }
  });
  return out;
}

function byName(records: MetricRecord[], name: string): MetricRecord[] {
  return records.filter((r) => r.name === name);
}

const PRELUDE = 'import json, math, os, sys\nfrom millrace import Run\nrun = Run.get_context()\n';

describe('millrace Python run context', () => {
  it('writes every metric kind as one JSON line each', () => {
    const ctx = stepRun();
    const png = path.join(ctx.dir, 'plot.png');
    fs.writeFileSync(png, Buffer.from('89504e470d0a1a0a', 'hex'));
    const r = ok(
      py(
        PRELUDE +
          [
            'assert run.id == "run-step-1", run.id',
            'assert run.experiment.name == "exp-test"',
            'assert not run.offline and Run.get_context() is run',
            'assert run.parent.id == "run-pipeline-1" and run.parent.parent is None',
            'run.log("accuracy", 0.93)',
            'run.log("accuracy", 0.95, description="on the test split", step=1)',
            'run.log("name", "héllo")',
            'run.log("flag", True)',
            'run.log_list("loss", [0.9, 0.5, 0.25])',
            'run.log_list("gen", (i * i for i in range(3)))',
            'run.log_row("confusion", tn=5, fp=1, fn=2, tp=7)',
            'run.log_table("table", {"x": [1, 2], "y": ["a", "b"]})',
            `print(run.log_image("ROC curve", path=${JSON.stringify(png)}))`,
            `run.log_image("ROC curve", path=${JSON.stringify(png)})`,
            'run.tag("prep_version", "1")',
            'run.tag("quick")',
            'run.set_tags({"a": "b", "n": 3})',
            'run.parent.log("best_accuracy", 0.95)',
            'run.parent.log_row("summary", acc=0.95)',
            'print(json.dumps(run.get_metrics(), sort_keys=True))',
            'print(json.dumps(run.get_tags(), sort_keys=True))',
          ].join('\n'),
        ctx.env,
      ),
    );
    const recs = readMetrics(ctx.metricsFile);
    expect(recs.length).toBe(16);
    for (const rec of recs) {
      expect(typeof rec.name).toBe('string');
      expect(typeof rec.ts).toBe('number');
    }
    const acc = byName(recs, 'accuracy');
    expect(acc[0]).toMatchObject({ name: 'accuracy', value: 0.93 });
    expect(acc[0].kind).toBeUndefined(); // scalar is the default kind
    expect(acc[0].parent).toBeUndefined();
    expect(acc[1]).toMatchObject({ value: 0.95, step: 1, description: 'on the test split' });
    expect(byName(recs, 'name')[0].value).toBe('héllo');
    expect(byName(recs, 'flag')[0].value).toBe(true);
    expect(byName(recs, 'loss')[0]).toMatchObject({ kind: 'list', value: [0.9, 0.5, 0.25] });
    expect(byName(recs, 'gen')[0]).toMatchObject({ kind: 'list', value: [0, 1, 4] });
    expect(byName(recs, 'confusion')[0]).toMatchObject({
      kind: 'row',
      value: { tn: 5, fp: 1, fn: 2, tp: 7 },
    });
    expect(byName(recs, 'table')[0]).toMatchObject({ kind: 'table', value: { x: [1, 2], y: ['a', 'b'] } });
    const images = byName(recs, 'ROC curve');
    expect(images.map((i) => i.kind)).toEqual(['image', 'image']);
    expect(images.map((i) => i.value)).toEqual(['images/ROC_curve.png', 'images/ROC_curve_2.png']);
    expect(r.stdout.split('\n')[0]).toBe('images/ROC_curve.png');
    for (const img of images) {
      expect(fs.readFileSync(path.join(ctx.runDir, img.value as string))).toEqual(fs.readFileSync(png));
    }
    expect(byName(recs, 'prep_version')[0]).toMatchObject({ kind: 'tag', value: '1' });
    expect(byName(recs, 'quick')[0]).toMatchObject({ kind: 'tag', value: null });
    expect(byName(recs, 'n')[0]).toMatchObject({ kind: 'tag', value: '3' });
    expect(byName(recs, 'best_accuracy')[0]).toMatchObject({ value: 0.95, parent: true });
    expect(byName(recs, 'summary')[0]).toMatchObject({ kind: 'row', value: { acc: 0.95 }, parent: true });
    // reading back, Azure-style aggregation; parent metrics are not the step's
    const [metricsLine, tagsLine] = r.stdout.trim().split('\n').slice(-2);
    const metrics = JSON.parse(metricsLine) as Record<string, unknown>;
    expect(metrics.accuracy).toEqual([0.93, 0.95]);
    expect(metrics.confusion).toEqual({ tn: [5], fp: [1], fn: [2], tp: [7] });
    expect(metrics.best_accuracy).toBeUndefined();
    expect(JSON.parse(tagsLine)).toEqual({ prep_version: '1', quick: null, a: 'b', n: '3' });
  });

  it('validates names and values', () => {
    const ctx = stepRun();
    const r = ok(
      py(
        PRELUDE +
          [
            'def err(f):',
            '    try:',
            '        f()',
            '    except (TypeError, ValueError) as e:',
            '        return type(e).__name__ + ": " + str(e)',
            '    return "no error"',
            'print(json.dumps([',
            '    err(lambda: run.log("", 1)),',
            '    err(lambda: run.log(None, 1)),',
            '    err(lambda: run.log("weird", object())),',
            '    err(lambda: run.log("alist", [1, 2])),',
            '    err(lambda: run.log_list("lst", [1, {"a": 1}])),',
            '    err(lambda: run.log_row("row", bad=set())),',
            '    err(lambda: run.log_table("tbl", {"a": [1, 2], "b": [1]})),',
            '    err(lambda: run.log("stepped", 1, step="x")),',
            '    err(lambda: run.log_image("img")),',
            ']))',
          ].join('\n'),
        ctx.env,
      ),
    );
    const errors = JSON.parse(r.stdout) as string[];
    expect(errors[0]).toMatch(/^ValueError: .*non-empty/);
    expect(errors[1]).toMatch(/^TypeError: .*non-empty string/);
    expect(errors[2]).toMatch(/^TypeError: metric 'weird'.*not JSON-serialisable/);
    expect(errors[3]).toMatch(/^TypeError: metric 'alist'/);
    expect(errors[4]).toMatch(/^TypeError: metric 'lst' \(element 1\)/);
    expect(errors[5]).toMatch(/^TypeError: metric 'row' \(column 'bad'\)/);
    expect(errors[6]).toMatch(/^ValueError: metric 'tbl'.*same length/);
    expect(errors[7]).toMatch(/^TypeError: metric 'stepped'.*step/);
    expect(errors[8]).toMatch(/^ValueError: .*path= or plot=/);
    // nothing invalid reached the file
    expect(fs.existsSync(ctx.metricsFile) ? readMetrics(ctx.metricsFile) : []).toEqual([]);
  });

  it('encodes NaN and infinities as null plus a nonFinite marker (valid JSON)', () => {
    const ctx = stepRun();
    ok(
      py(
        PRELUDE +
          [
            'run.log("loss", float("nan"))',
            'run.log("loss", math.inf, step=2)',
            'run.log("loss", -math.inf)',
            'run.log_list("losses", [1.0, float("nan"), math.inf])',
            'run.log_row("row", a=float("-inf"), b=2)',
            'run.log_table("tbl", {"x/y": [float("nan"), 1.0]})',
          ].join('\n'),
        ctx.env,
      ),
    );
    const text = fs.readFileSync(ctx.metricsFile, 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    const recs = readMetrics(ctx.metricsFile);
    expect(recs.map((r) => [r.value, r.nonFinite])).toEqual([
      [null, 'nan'],
      [null, 'inf'],
      [null, '-inf'],
      [[1.0, null, null], { '/1': 'nan', '/2': 'inf' }],
      [{ a: null, b: 2 }, { '/a': '-inf' }],
      [{ 'x/y': [null, 1.0] }, { '/x~1y/0': 'nan' }],
    ]);
    expect(recs[1].step).toBe(2);
  });

  it('upload_file copies into RUN_DIR/outputs and rejects escaping names', () => {
    const ctx = stepRun();
    const src = path.join(ctx.dir, 'model.bin');
    fs.writeFileSync(src, 'weights');
    const r = ok(
      py(
        PRELUDE +
          [
            'import io',
            `src = ${JSON.stringify(src)}`,
            'print(run.upload_file("model.bin", src))',
            'run.upload_file("nested/dir/model.bin", src)',
            'run.upload_file("outputs/model.json", io.BytesIO(b"{}"))',
            'run.upload_file("text.txt", io.StringIO("hi"))',
            'bad = []',
            'for name in ["../x", "a/../../x", "/tmp/abs", "..", ""]:',
            '    try:',
            '        run.upload_file(name, src)',
            '    except ValueError:',
            '        bad.append(name)',
            'print(json.dumps(bad))',
            'try:',
            '    run.parent.upload_file("x", src)',
            'except NotImplementedError:',
            '    print("parent-refused")',
          ].join('\n'),
        ctx.env,
      ),
    );
    const outputs = path.join(ctx.runDir, 'outputs');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(path.join(outputs, 'model.bin'));
    expect(fs.readFileSync(path.join(outputs, 'model.bin'), 'utf8')).toBe('weights');
    expect(fs.readFileSync(path.join(outputs, 'nested', 'dir', 'model.bin'), 'utf8')).toBe('weights');
    // Azure habit: a leading "outputs/" is the outputs folder itself
    expect(fs.readFileSync(path.join(outputs, 'model.json'), 'utf8')).toBe('{}');
    expect(fs.readFileSync(path.join(outputs, 'text.txt'), 'utf8')).toBe('hi');
    expect(JSON.parse(lines[1])).toEqual(['../x', 'a/../../x', '/tmp/abs', '..', '']);
    expect(lines[2]).toBe('parent-refused');
    expect(fs.existsSync(path.join(ctx.runDir, 'x'))).toBe(false);
    expect(fs.existsSync(path.join(ctx.dir, 'runs', 'x'))).toBe(false);
  });

  it('exposes inputs and outputs from MILLRACE_INPUTS / MILLRACE_OUTPUTS', () => {
    const base = tempDir();
    const rawFolder = path.join(base, 'raw');
    fs.mkdirSync(path.join(rawFolder, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(rawFolder, 'a.csv'), 'x,y\n1,2\n');
    fs.writeFileSync(path.join(rawFolder, 'sub', 'b.csv'), 'x,y\n3,4\n');
    const modelFile = path.join(base, 'model.json');
    fs.writeFileSync(modelFile, '{}');
    const outFolder = path.join(base, 'out', 'prepped');
    const ctx = stepRun({
      MILLRACE_INPUTS: JSON.stringify({
        raw_data: { path: rawFolder, kind: 'folder' },
        model: { path: modelFile, kind: 'file' },
      }),
      MILLRACE_OUTPUTS: JSON.stringify({ prepped: outFolder }),
    });
    const r = ok(
      py(
        PRELUDE +
          [
            'ds = run.input_datasets["raw_data"]',
            'out = run.output_datasets["prepped"]',
            'try:',
            '    run.input_datasets["missing"]',
            '    missing = "no error"',
            'except KeyError as e:',
            '    missing = str(e)',
            'try:',
            '    df = ds.to_pandas_dataframe()',
            '    pandas = "rows=%d" % len(df)',
            'except ImportError as e:',
            '    pandas = "missing: " + str(e)',
            'print(json.dumps({',
            '    "path": ds.path, "name": ds.name, "kind": ds.kind, "str": str(ds),',
            '    "mount": ds.as_mount(), "download": ds.as_download(), "fspath": os.fspath(ds),',
            '    "join": os.path.join(ds, "a.csv"), "to_path": ds.to_path(),',
            '    "keys": list(run.input_datasets.keys()), "iter": sorted(run.input_datasets),',
            '    "contains": ["raw_data" in run.input_datasets, "nope" in run.input_datasets],',
            '    "len": len(run.input_datasets), "model": run.input_datasets["model"].path,',
            '    "model_kind": run.input_datasets["model"].kind,',
            '    "items": {k: v.path for k, v in run.input_datasets.items()},',
            '    "out": out.path, "out_exists": os.path.isdir(out.path),',
            '    "outputs": list(run.output_datasets), "missing": missing, "pandas": pandas,',
            '}))',
          ].join('\n'),
        ctx.env,
      ),
    );
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info.path).toBe(rawFolder);
    expect(info.name).toBe('raw_data');
    expect(info.kind).toBe('folder');
    expect(info.str).toBe(rawFolder);
    expect(info.mount).toBe(rawFolder);
    expect(info.download).toBe(rawFolder);
    expect(info.fspath).toBe(rawFolder);
    expect(info.join).toBe(path.join(rawFolder, 'a.csv'));
    expect(info.to_path).toEqual(['/a.csv', '/sub/b.csv']);
    expect(info.keys).toEqual(['raw_data', 'model']);
    expect(info.iter).toEqual(['model', 'raw_data']);
    expect(info.contains).toEqual([true, false]);
    expect(info.len).toBe(2);
    expect(info.model).toBe(modelFile);
    expect(info.model_kind).toBe('file');
    expect(info.items).toEqual({ raw_data: rawFolder, model: modelFile });
    expect(info.out).toBe(outFolder);
    expect(info.out_exists).toBe(true);
    expect(info.outputs).toEqual(['prepped']);
    expect(info.missing).toMatch(/no input named 'missing'; available: model, raw_data/);
    const pandas = info.pandas as string;
    if (pandas.startsWith('missing')) {
      expect(pandas).toMatch(/needs pandas/);
      expect(pandas).toContain(rawFolder);
    } else {
      expect(pandas).toBe('rows=2');
    }
  });

  it('falls back to MILLRACE_INPUT_<NAME> variables', () => {
    const base = tempDir();
    const f = path.join(base, 'data.csv');
    fs.writeFileSync(f, 'x\n1\n');
    const ctx = stepRun({
      MILLRACE_INPUT_RAW_DATA: f,
      AZUREML_DATAREFERENCE_raw_data: f,
      MILLRACE_INPUT_OTHER: base,
      MILLRACE_OUTPUT_PREPPED: path.join(base, 'o'),
    });
    const r = ok(
      py(
        PRELUDE +
          [
            'print(json.dumps({',
            '    "keys": sorted(run.input_datasets),',
            '    "raw": run.input_datasets["raw_data"].path,',
            '    "RAW": run.input_datasets["RAW-DATA"].path,',
            '    "other": [run.input_datasets["other"].path, run.input_datasets["other"].kind],',
            '    "out": run.output_datasets["prepped"].path,',
            '}))',
          ].join('\n'),
        ctx.env,
      ),
    );
    expect(JSON.parse(r.stdout)).toEqual({
      keys: ['other', 'raw_data'],
      raw: f,
      RAW: f,
      other: [base, 'folder'],
      out: path.join(base, 'o'),
    });
  });

  it('offline (outside Millrace) prints what it would log and writes nothing', () => {
    const dir = tempDir();
    const png = path.join(os.tmpdir(), 'millrace-does-not-exist.png');
    const r = ok(
      py(
        PRELUDE +
          [
            'assert run.offline and run.id.startswith("OfflineRun_"), run.id',
            'assert run.parent.offline and len(run.input_datasets) == 0',
            'run.log("accuracy", 0.93)',
            'run.log("bad", object())',
            'run.log("", 1)',
            'run.log_list("loss", [1, 2])',
            'run.log_row("confusion", tp=1)',
            'run.log_table("t", {"a": [1]})',
            `run.log_image("ROC", path=${JSON.stringify(png)})`,
            'run.tag("k", "v")',
            'run.upload_file("../escape", "nowhere")',
            'run.parent.log("best", 1)',
            'run.flush(); run.complete()',
            'print("done")',
          ].join('\n'),
        cleanEnv(),
        dir,
      ),
    );
    expect(r.stdout).toContain('Attempted to log scalar metric accuracy:\n0.93\n');
    expect(r.stdout).toContain('Attempted to log list metric loss:\n[1, 2]\n');
    expect(r.stdout).toContain('Attempted to log row metric confusion:\n');
    expect(r.stdout).toContain('Attempted to log image metric ROC:\n');
    expect(r.stdout).toContain('Attempted to log scalar metric best:\n1\n');
    expect(r.stdout.trim().endsWith('done')).toBe(true);
    expect(r.stderr).toMatch(/would raise TypeError: metric 'bad'/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps all 100,000 run.log lines and logs them fast', () => {
    const ctx = stepRun();
    const r = ok(
      py(
        PRELUDE +
          [
            'import time',
            'log = run.log',
            't0 = time.perf_counter()',
            'for i in range(100000):',
            '    log("x", i)',
            'print(time.perf_counter() - t0)',
          ].join('\n'),
        ctx.env,
      ),
    );
    // (How fast is the bench's business: npm run bench -- engine; here only what was written.)
    expect(Number(r.stdout.trim())).toBeGreaterThan(0);
    const lines = fs.readFileSync(ctx.metricsFile, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline, no partial line
    expect(lines.length).toBe(100_000);
    for (let i = 0; i < lines.length; i++) {
      const rec = JSON.parse(lines[i]) as MetricRecord;
      if (rec.name !== 'x' || rec.value !== i) throw new Error(`line ${i + 1}: ${lines[i]}`);
    }
  }, 60_000);

  it('flushes buffered metrics when the step is terminated with SIGTERM', async () => {
    if (process.platform === 'win32') return;
    const ctx = stepRun();
    const child = spawn(
      PYTHON,
      ['-c', PRELUDE + 'import time\nfor i in range(5):\n    run.log("m", i)\nprint("ready", flush=True)\ntime.sleep(30)\n'],
      { env: ctx.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        if (b.toString().includes('ready')) resolve();
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(readMetrics(ctx.metricsFile).map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
  }, 30_000);

  it('lets other writers (shell, R, Node) append to the same file between flushes', () => {
    const ctx = stepRun();
    ok(
      py(
        PRELUDE +
          [
            'run.log("a", 1)',
            'run.log("b", 2)   # buffered',
            'with open(os.environ["MILLRACE_METRICS_FILE"], "a") as fh:',
            '    fh.write(\'{"name": "rows", "value": 3}\\n\')',
            'run.flush()',
          ].join('\n'),
        ctx.env,
      ),
    );
    expect(readMetrics(ctx.metricsFile).map((r) => r.name)).toEqual(['a', 'rows', 'b']);
  });
});

describe('sample pipeline scripts', () => {
  it('data_prep.py then train_model.py run on the template data', () => {
    const ws = tempDir();
    const prepped = path.join(ws, 'datastores', 'default', 'pipelinedata', 'prepped');
    const prep = stepRun({
      MILLRACE_INPUTS: JSON.stringify({ raw_data: { path: rawDir, kind: 'folder' } }),
      MILLRACE_OUTPUTS: JSON.stringify({ prepped }),
    });
    const r1 = ok(
      runPython(['data_prep.py', '--raw-ds', rawDir, '--out_folder', prepped], prep.env, scriptsDir),
    );
    expect(r1.stdout).toMatch(/Dropped \d+ rows with missing values/);
    const prepMetrics = readMetrics(prep.metricsFile);
    const raw = byName(prepMetrics, 'raw_rows')[0].value as number;
    const processed = byName(prepMetrics, 'processed_rows')[0].value as number;
    expect(raw).toBeGreaterThanOrEqual(400);
    expect(processed).toBeLessThan(raw);
    expect(processed).toBeGreaterThan(raw * 0.9);
    expect(byName(prepMetrics, 'prep_version')[0].kind).toBe('tag');
    const dataCsv = fs.readFileSync(path.join(prepped, 'data.csv'), 'utf8').trim().split('\n');
    expect(dataCsv.length).toBe(processed + 1);
    expect(dataCsv[0]).toBe(
      'PatientID,Pregnancies,PlasmaGlucose,DiastolicBloodPressure,TricepsThickness,SerumInsulin,BMI,DiabetesPedigree,Age,Diabetic',
    );

    const train = stepRun({
      MILLRACE_INPUTS: JSON.stringify({ prepped: { path: prepped, kind: 'pipelineData' } }),
    });
    ok(runPython(['train_model.py', '--in_folder', prepped, '--reg', '0.01'], train.env, scriptsDir));
    const m = readMetrics(train.metricsFile);
    const acc = byName(m, 'Accuracy')[0].value as number;
    expect(acc).toBeGreaterThanOrEqual(0.6);
    expect(acc).toBeLessThanOrEqual(1.0);
    const auc = byName(m, 'AUC')[0].value as number;
    expect(auc).toBeGreaterThan(0.6);
    expect(auc).toBeLessThanOrEqual(1.0);
    expect(byName(m, 'Regularization Rate')[0].value).toBe(0.01);
    const loss = byName(m, 'loss')[0];
    expect(loss.kind).toBe('list');
    const losses = loss.value as number[];
    expect(losses.length).toBeGreaterThan(10);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    const confusion = byName(m, 'confusion')[0];
    expect(confusion.kind).toBe('row');
    const c = confusion.value as Record<string, number>;
    expect(c.tp + c.tn + c.fp + c.fn).toBeGreaterThan(50);
    expect((c.tp + c.tn) / (c.tp + c.tn + c.fp + c.fn)).toBeCloseTo(acc, 10);
    expect(byName(m, 'best_accuracy')[0]).toMatchObject({ value: acc, parent: true });
    const roc = byName(m, 'ROC')[0];
    expect(roc).toMatchObject({ kind: 'image', value: 'images/ROC.png' });
    const pngBytes = fs.readFileSync(path.join(train.runDir, 'images', 'ROC.png'));
    expect(pngBytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(pngBytes.readUInt32BE(16)).toBe(200); // IHDR width
    expect(pngBytes.readUInt32BE(20)).toBe(200); // IHDR height
    const model = JSON.parse(fs.readFileSync(path.join(train.runDir, 'outputs', 'model.json'), 'utf8')) as {
      features: string[];
      weights: number[];
    };
    expect(model.features).toContain('PlasmaGlucose');
    expect(model.weights.length).toBe(model.features.length);
  }, 60_000);
});
