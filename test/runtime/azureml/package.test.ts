// Millrace's `azureml` package (main/runtime/python/azureml, AZUREML.md §10) in real python3 processes:
// the Python unit tests of py/ (run against a stand-in bridge until `millrace bridge` exists), the
// offline guarantee under an audit hook (§10.4k), and no silent shadowing of a real azureml-core (§10.1).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const pythonPath = join(repoRoot, 'main', 'runtime', 'python');
const pyTests = join(repoRoot, 'test', 'runtime', 'azureml', 'py');
const PYTHON = process.env.MILLRACE_TEST_PYTHON ?? 'python3';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** process.env without anything that would make the child a step, a configured workspace or another python path. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(MILLRACE_|AZUREML_|AML_PARAMETER_)/.test(k) || k === 'PYTHONPATH') continue;
    env[k] = v;
  }
  return { ...env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', ...extra };
}

function python(exe: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const r = spawnSync(exe, args, { env, cwd, encoding: 'utf8', timeout: 180_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function hasPandas(exe: string): boolean {
  const r = spawnSync(exe, ['-c', 'import pandas'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Runs one unittest module; the unittest report is the failure message. Returns how many tests ran. */
function unittest(exe: string, module: string, pattern?: string): { ran: number; skipped: number } {
  const args = ['-m', 'unittest', '-v', ...(pattern ? ['-k', pattern] : []), module];
  const r = python(exe, args, cleanEnv({ PYTHONPATH: [pythonPath, pyTests].join(':') }), pyTests);
  expect(r.status, `${exe} -m unittest ${module}\n${r.stderr}`).toBe(0);
  const ran = Number(/Ran (\d+) tests?/.exec(r.stderr)?.[1] ?? 0);
  const skipped = Number(/skipped=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { ran, skipped };
}

describe('azureml package: Python unit tests (py/*.py)', () => {
  // The pure parts need no workspace; the others talk to py/fake_bridge.py through MILLRACE_CLI.
  for (const [module, atLeast] of [
    ['test_pure', 27],
    ['test_compile', 18],
    ['test_workspace_data', 16],
    ['test_runs', 11],
    ['test_publish_schedule', 5],
    ['test_transport', 6],
  ] as const) {
    it(module, () => {
      expect(unittest(PYTHON, module).ran).toBeGreaterThanOrEqual(atLeast);
    });
  }

  const pandasPython = [PYTHON, '/usr/bin/python3'].find(hasPandas);
  describe.skipIf(!pandasPython)('with pandas (skipped: no python3 with pandas here; CI installs python3-pandas)', () => {
    it('to_pandas_dataframe reads every matched file in path order', () => {
      const r = unittest(pandasPython!, 'test_workspace_data', 'to_pandas_dataframe');
      expect(r).toEqual({ ran: 1, skipped: 0 });
    });
  });
});

// Every module and name of AZUREML.md §10.3.
const SURFACE: Record<string, string[]> = {
  'azureml.core': ['VERSION', 'Workspace', 'Experiment', 'Run', 'Datastore', 'Dataset', 'Environment', 'Model', 'ComputeTarget', 'RunConfiguration', 'ScriptRunConfig'],
  'azureml.core.workspace': ['Workspace'],
  'azureml.core.experiment': ['Experiment'],
  'azureml.core.run': ['Run'],
  'azureml.core.datastore': ['Datastore'],
  'azureml.core.dataset': ['Dataset'],
  'azureml.core.environment': ['Environment'],
  'azureml.core.model': ['Model'],
  'azureml.core.runconfig': ['RunConfiguration', 'DockerConfiguration', 'DEFAULT_CPU_IMAGE', 'DEFAULT_GPU_IMAGE'],
  'azureml.core.conda_dependencies': ['CondaDependencies'],
  'azureml.core.authentication': ['InteractiveLoginAuthentication', 'ServicePrincipalAuthentication', 'MsiAuthentication', 'AzureCliAuthentication'],
  'azureml.core.compute': ['ComputeTarget', 'AmlCompute'],
  'azureml.core.compute_target': ['ComputeTargetException'],
  'azureml.exceptions': ['AzureMLException', 'UserErrorException', 'ComputeTargetException', 'ActivityFailedException', 'WebserviceException', 'MillraceNotSupportedError'],
  'azureml.data': ['OutputFileDatasetConfig', 'TabularDataset', 'FileDataset'],
  'azureml.data.data_reference': ['DataReference'],
  'azureml.data.datapath': ['DataPath', 'DataPathComputeBinding'],
  'azureml.data.output_dataset_config': ['OutputFileDatasetConfig', 'OutputTabularDatasetConfig'],
  'azureml.data.dataset_consumption_config': ['DatasetConsumptionConfig'],
  'azureml.pipeline.core': ['Pipeline', 'PipelineData', 'PipelineParameter', 'PipelineRun', 'StepRun', 'PortDataReference', 'PublishedPipeline', 'PipelineEndpoint', 'Schedule', 'ScheduleRecurrence', 'TimeZone', 'StepSequence', 'PipelineDraft'],
  'azureml.pipeline.core.run': ['PipelineRun', 'StepRun'],
  'azureml.pipeline.core.graph': ['PipelineParameter', 'PortDataReference'],
  'azureml.pipeline.core.schedule': ['Schedule', 'ScheduleRecurrence', 'TimeZone'],
  'azureml.pipeline.core.pipeline_endpoint': ['PipelineEndpoint'],
  'azureml.pipeline.steps': ['PythonScriptStep', 'CommandStep', 'ParallelRunStep', 'ParallelRunConfig', 'DataTransferStep', 'HyperDriveStep', 'EstimatorStep', 'MpiStep', 'RScriptStep', 'AutoMLStep', 'DatabricksStep', 'AdlaStep', 'AzureBatchStep', 'KustoStep', 'SynapseSparkStep', 'ModuleStep'],
  'azureml.widgets': ['RunDetails'],
};

describe('azureml package: offline (§10.4k)', () => {
  it('imports every module of §10.3 and reads every name without a socket, a browser, stdin or a child process', () => {
    const code = `
import sys
FORBIDDEN = {"socket.connect", "socket.bind", "webbrowser.open", "builtins.input", "subprocess.Popen", "os.posix_spawn", "os.exec", "os.system"}
seen = []
def hook(event, args):
    if event in FORBIDDEN:
        seen.append(event)
        raise RuntimeError("forbidden while importing azureml: %s %r" % (event, args[:2]))
sys.addaudithook(hook)
import importlib, json
surface = json.loads(sys.argv[1])
for module, names in surface.items():
    m = importlib.import_module(module)
    for n in names:
        getattr(m, n)
assert not seen, seen
print("ok", len(surface))
`;
    const ws = mkdtempSync(join(tmpdir(), 'azureml-offline-'));
    temps.push(ws);
    writeFileSync(join(ws, 'millrace.yml'), 'datastores: {}\n');
    const r = python(PYTHON, ['-c', code, JSON.stringify(SURFACE)], cleanEnv({ PYTHONPATH: pythonPath, MILLRACE_WORKSPACE: ws }), ws);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`ok ${Object.keys(SURFACE).length}`);
    expect(r.stderr).toBe('');
  });
});

describe('azureml package: no silent shadowing (§10.1)', () => {
  const root = mkdtempSync(join(tmpdir(), 'azureml-shadow-'));
  temps.push(root);
  const site = join(root, 'site');
  mkdirSync(join(site, 'azureml', 'core'), { recursive: true });
  mkdirSync(join(site, 'azureml_core-1.48.0.dist-info'));
  writeFileSync(join(site, 'azureml_core-1.48.0.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: azureml-core\nVersion: 1.48.0\n');
  writeFileSync(join(site, 'azureml', '__init__.py'), "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n");
  writeFileSync(join(site, 'azureml', 'core', '__init__.py'), 'REAL_SDK = True\nVERSION = "1.48.0"\n');
  const probe = `
import azureml, azureml.core, azureml.pipeline.core, azureml.data
print(getattr(azureml, "__millrace__", False), azureml.core.VERSION)
`;
  const line = `millrace: 'azureml' is Millrace's offline compatibility package (${join(pythonPath, 'azureml')}); the installed azureml-core 1.48.0 is not used\n`;

  it('with PYTHONPATH naming it, Millrace\'s package wins and says so once', () => {
    const r = python(PYTHON, ['-c', probe], cleanEnv({ PYTHONPATH: [pythonPath, site].join(':') }), root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^True 1\.24\.0\+millrace\./);
    expect(r.stderr).toBe(line);
  });

  it('without it, the installed SDK is what Python finds', () => {
    const r = python(PYTHON, ['-c', 'import azureml.core; print(azureml.core.REAL_SDK, hasattr(__import__("azureml"), "__millrace__"))'], cleanEnv({ PYTHONPATH: site }), root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('True False');
    expect(r.stderr).toBe('');
  });

  it('inside a step the line is not printed', () => {
    const r = python(PYTHON, ['-c', probe], cleanEnv({ PYTHONPATH: [pythonPath, site].join(':'), MILLRACE_RUN_ID: 'r1' }), root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('without an installed azureml-core nothing is printed', () => {
    const r = python(PYTHON, ['-c', probe], cleanEnv({ PYTHONPATH: pythonPath }), root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});
