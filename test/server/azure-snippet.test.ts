// End to end through the real CLI: publish, token create, `millrace serve`, and the Python snippet
// from the Azure ML docs (requests.post with a bearer token) working unchanged; then a restart.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliAsync, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { commandPipeline } from './helpers.js';

const SNIPPET = `
import os, sys, time, json
import requests

rest_endpoint = os.environ["REST_ENDPOINT"]
auth_header = {"Authorization": "Bearer " + os.environ["TOKEN"]}

# As in the Azure ML docs:
response = requests.post(rest_endpoint,
                         headers=auth_header,
                         json={"ExperimentName": "run_training_pipeline",
                               "ParameterAssignments": {"reg_rate": 0.1}})
response.raise_for_status()
run_id = response.json().get("Id")

# Poll its status until it ends.
status_url = os.environ["API"] + "/api/v1/runs/" + run_id
for _ in range(600):
    run = requests.get(status_url, headers=auth_header).json()
    if run["status"] in ("Completed", "Failed", "Canceled"):
        break
    time.sleep(0.1)
print(json.dumps({"submit": response.json(), "run": run}))
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

interface Serving {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startServe(dir: string, extra: string[] = []): Promise<Serving> {
  const child = cliAsync(['serve', '--json', '-w', dir, ...extra]);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const end = Date.now() + 20_000;
  while (!out.includes('}')) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`serve did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, url: JSON.parse(out).url, stderr: () => err, exited };
}

const python = (env: Record<string, string>) => {
  const r = spawnSync('python3', ['-c', SNIPPET], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 90_000 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
};

let tw: TempWorkspace;
let port: number;
let endpoint: string;
let token: string;
let serving: Serving | undefined;

beforeAll(async () => {
  port = await freePort();
  tw = tempWorkspace(`compute:\n  local: { type: local, max_concurrency: 2 }\nexecutor: { kill_grace_ms: 300 }\nserver: { host: 127.0.0.1, port: ${port} }\n`);
  const pub = cli(['publish', 'pipelines/sample.yml', '--name', 'training_pipeline', '--version', '1.0', '--description', 'Model training pipeline', '--endpoint', 'training', '--json'], { cwd: tw.dir });
  expect(pub.status, pub.stderr).toBe(0);
  endpoint = JSON.parse(pub.stdout).endpoint;
  const tok = cli(['token', 'create', 'ci-bot', '--json', '-w', tw.dir]);
  expect(tok.status, tok.stderr).toBe(0);
  expect(Object.keys(JSON.parse(tok.stdout)).sort()).toEqual(['name', 'token']);
  token = JSON.parse(tok.stdout).token;
});
afterAll(async () => {
  if (serving && serving.child.exitCode === null) {
    serving.child.kill('SIGTERM');
    await serving.exited;
  }
  tw.cleanup();
});

describe('millrace serve with the Azure ML Python snippet', () => {
  it('prints the REST endpoint on publish, and the token once', () => {
    expect(endpoint).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/pipelines/v1\\.0/PipelineRuns/PipelineSubmit/[0-9a-f-]{36}$`));
    const list = cli(['token', 'list', '--json', '-w', tw.dir]);
    expect(list.stdout).not.toContain(token);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'ci-bot', lastUsedAt: null, revokedAt: null })]);
  });

  it('runs the published pipeline from requests.post and reports it at /api/v1/runs/{id}', async () => {
    serving = await startServe(tw.dir);
    expect(serving.url).toBe(`http://127.0.0.1:${port}`);
    const { submit, run } = python({ REST_ENDPOINT: endpoint, TOKEN: token, API: serving.url });
    expect(submit).toMatchObject({ Id: expect.any(String), Status: 'NotStarted', ExperimentName: 'run_training_pipeline' });
    expect(run).toMatchObject({
      id: submit.Id, experiment: 'run_training_pipeline', status: 'Completed', parameters: { reg_rate: 0.1, raw_path: 'raw' },
      trigger: { kind: 'rest', token: 'ci-bot' },
    });
    expect(run.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(['prepare_data:Completed', 'train_model:Completed']);
    // Same shape as the CLI's.
    const shown = cli(['runs', 'show', submit.Id, '--json', '-w', tw.dir]);
    expect(JSON.parse(shown.stdout)).toEqual(run);
    const listed = JSON.parse(cli(['runs', 'list', '-e', 'run_training_pipeline', '--json', '-w', tw.dir]).stdout);
    expect(listed.map((r: { id: string }) => r.id)).toEqual([submit.Id]);
    expect(JSON.parse(cli(['token', 'list', '--json', '-w', tw.dir]).stdout)[0].lastUsedAt).not.toBeNull();
  });

  it('answers by endpoint name too', () => {
    const byName = endpoint.replace(/PipelineSubmit\/.*$/, 'PipelineEndpointSubmit/Name/training');
    const { run } = python({ REST_ENDPOINT: byName, TOKEN: token, API: serving!.url });
    expect(run.status).toBe('Completed');
    expect(run.trigger).toMatchObject({ kind: 'rest', token: 'ci-bot', pipelineEndpoint: 'training' });
  });

  it('refuses the snippet with a wrong token, and with a token revoked while serving', () => {
    const r = spawnSync('python3', ['-c', SNIPPET], { encoding: 'utf8', env: { ...process.env, REST_ENDPOINT: endpoint, TOKEN: 'nope', API: serving!.url } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/401/);
    const other = JSON.parse(cli(['token', 'create', 'temp', '--json', '-w', tw.dir]).stdout).token;
    expect(cli(['token', 'revoke', 'temp', '-w', tw.dir]).status).toBe(0);
    const revoked = spawnSync('python3', ['-c', SNIPPET], { encoding: 'utf8', env: { ...process.env, REST_ENDPOINT: endpoint, TOKEN: other, API: serving!.url } });
    expect(revoked.stderr).toMatch(/401/);
    expect(cli(['token', 'revoke', 'temp', '-w', tw.dir]).status).toBe(2);
  });

  it('keeps published pipelines and tokens across a restart, and cancels in-flight runs when stopped', async () => {
    tw.write('pipelines/sleep.yml', commandPipeline('sleeper', ['sleep', '30']));
    const sleeper = JSON.parse(cli(['publish', 'pipelines/sleep.yml', '--name', 'sleeper', '--json', '-w', tw.dir]).stdout);
    const res = await fetch(sleeper.endpoint, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ExperimentName: 'sleepy' }) });
    expect(res.status).toBe(200);
    const { Id } = (await res.json()) as { Id: string };
    const show = () => JSON.parse(cli(['runs', 'show', Id, '--json', '-w', tw.dir]).stdout);
    const end = Date.now() + 15_000;
    while (show().steps[0].status !== 'Running' && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    serving!.child.kill('SIGTERM');
    expect(await serving!.exited).toBe(0);
    const after = show();
    expect(after.status).toBe('Canceled');
    expect(after.steps[0].status).toBe('Canceled');

    serving = await startServe(tw.dir);
    const { run } = python({ REST_ENDPOINT: endpoint, TOKEN: token, API: serving.url });
    expect(run.status).toBe('Completed');
    expect(run.trigger.token).toBe('ci-bot');
  });

  it('listens beyond loopback only with --allow-remote, and warns', async () => {
    const refused = cli(['serve', '--host', '0.0.0.0', '--port', '0', '-w', tw.dir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--allow-remote/);
    // The serve of the tests above still owns the workspace's schedules: this one runs without.
    const remote = await startServe(tw.dir, ['--host', '0.0.0.0', '--port', '0', '--allow-remote', '--no-schedules']);
    try {
      expect(remote.stderr()).toMatch(/WARNING/);
    } finally {
      remote.child.kill('SIGTERM');
      expect(await remote.exited).toBe(0);
    }
  });
});
