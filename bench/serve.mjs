// Serve benchmark (issue: Serve): 2,000 authenticated PipelineSubmit requests of a one-step
// published pipeline over loopback, 16 at a time, while the runs execute in the serving process.
// Reports p50/p99 submit latency and throughput; every acknowledged Id must be in the store.
import { execFileSync, spawn } from 'node:child_process';
import { request, Agent } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'millrace.js');
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function post(agent, url, token, body) {
  return new Promise((resolve) => {
    const u = new URL(url);
    const data = JSON.stringify(body);
    const t0 = performance.now();
    const req = request(
      { agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode, text }));
      },
    );
    req.on('error', (e) => resolve({ ms: performance.now() - t0, status: 0, text: String(e) }));
    req.end(data);
  });
}

export async function runServeBench(report, { total = 2000, concurrency = 16 } = {}) {
  const dir = join(tmpdir(), `millrace-bench-${process.pid}`, 'serve');
  rmSync(dir, { recursive: true, force: true });
  execFileSync('node', [cli, 'init', dir], { stdio: 'ignore' });
  writeFileSync(join(dir, 'pipelines', 'one.yml'), 'name: one\nsteps:\n  only:\n    type: command\n    command: ["true"]\n    allow_reuse: false\n');
  const pub = JSON.parse(execFileSync('node', [cli, 'publish', 'pipelines/one.yml', '--name', 'one', '--json', '-w', dir], { encoding: 'utf8' }));
  const { token } = JSON.parse(execFileSync('node', [cli, 'token', 'create', 'bench', '--json', '-w', dir], { encoding: 'utf8' }));

  const server = spawn('node', [cli, 'serve', '--port', '0', '--json', '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  server.stdout.on('data', (d) => (out += d));
  server.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => server.on('exit', r));
  while (!out.includes('}')) {
    if (server.exitCode !== null) throw new Error(`serve did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const base = JSON.parse(out).url;
  const url = `${base}/pipelines/v1.0/PipelineRuns/PipelineSubmit/${pub.id}`;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

  // Warm-up (JIT, prepared statements), not counted.
  for (let i = 0; i < 20; i++) await post(agent, url, token, { ExperimentName: 'bench-warmup' });

  const latencies = [];
  const ids = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      const r = await post(agent, url, token, { ExperimentName: 'bench', ParameterAssignments: {} });
      latencies.push(r.ms);
      if (r.status === 200) ids.push(JSON.parse(r.text).Id);
      else {
        errors++;
        if (errors <= 3) console.error(`submit error: ${r.status} ${r.text.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - t0;

  // Every acknowledged Id must be in the store; then wait for the runs to drain.
  const { Store } = await import('../dist/main/store/store.js');
  const store = Store.open(join(dir, 'millrace.db'));
  const exists = store.rawConnection().prepare('SELECT 1 FROM runs WHERE id = ?');
  const lost = ids.filter((id) => !exists.get(id)).length;
  const unfinished = () =>
    store.rawConnection().prepare(`SELECT COUNT(*) AS n FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = 'bench' AND r.kind = 'pipeline' AND r.status NOT IN ('Completed','Failed','Canceled')`).get().n;
  const drainStart = performance.now();
  while (unfinished() > 0 && performance.now() - drainStart < 300_000) await new Promise((r) => setTimeout(r, 200));
  const drainMs = performance.now() - drainStart;
  const statuses = Object.fromEntries(
    store.rawConnection().prepare(`SELECT r.status, COUNT(*) AS n FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = 'bench' AND r.kind = 'pipeline' GROUP BY r.status`).all().map((r) => [r.status, r.n]),
  );
  store.close();
  agent.destroy();
  server.kill('SIGTERM');
  await exited;
  if (errors) console.error(`server log:\n${err.slice(0, 3000)}`);
  rmSync(dir, { recursive: true, force: true });

  const sorted = [...latencies].sort((a, b) => a - b);
  const result = {
    submits: total, concurrency, errors, lost, acknowledged: ids.length,
    p50Ms: pct(sorted, 50), p99Ms: pct(sorted, 99), maxMs: sorted[sorted.length - 1],
    throughputPerSec: (total / wallMs) * 1000, wallMs, drainMs, statuses,
  };
  report.serve(result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runServeBench({ serve: (r) => console.log(JSON.stringify(r, null, 2)) });
}
