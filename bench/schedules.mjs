// Schedules benchmark (issue: Schedules): a perFile data-change schedule under `millrace serve`.
//  1. latency from a file's last write to its run being queued (recorded NotStarted), one file at a time;
//  2. a burst of N (default 10,000) files written into one folder: time until every file has its run,
//     the owner's peak memory (VmHWM), and that there is exactly one run per file.
// The pipeline is a trivial one-step published pipeline; the runs themselves may still be queued.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'millrace.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const mib = (kb) => kb / 1024;

function peakKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function startServe(dir) {
  // One run at a time: the bench measures the owner's triggering, not the machine's step throughput.
  const server = spawn('node', [cli, 'serve', '--port', '0', '--json', '--max-parallel-runs', '1', '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  server.stdout.on('data', (d) => (out += d));
  server.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => server.on('exit', r));
  while (!out.includes('}')) {
    if (server.exitCode !== null) throw new Error(`serve did not start: ${err}`);
    await sleep(20);
  }
  return { server, exited, err: () => err };
}

export async function runSchedulesBench(report, { latencyFiles = 40, burst = Number(process.env.BENCH_BURST_FILES ?? 10_000) } = {}) {
  const dir = join(tmpdir(), `millrace-bench-${process.pid}`, 'schedules');
  rmSync(dir, { recursive: true, force: true });
  execFileSync('node', [cli, 'init', dir], { stdio: 'ignore' });
  writeFileSync(join(dir, 'pipelines', 'one.yml'), 'name: one\nparameters:\n  raw_path: { type: path, default: none }\nsteps:\n  only:\n    type: command\n    command: ["true"]\n    allow_reuse: false\n');
  const pub = JSON.parse(execFileSync('node', [cli, 'publish', 'pipelines/one.yml', '--name', 'one', '--json', '-w', dir], { encoding: 'utf8' }));
  for (const [name, path] of [['latency', 'latency'], ['burst', 'burst']]) {
    execFileSync('node', [cli, 'schedule', 'create', '--name', name, '--pipeline', pub.id, '-e', `bench-${name}`, '--datastore', 'default', '--path', path, '-w', dir], { stdio: 'ignore' });
  }
  const data = join(dir, 'datastores', 'default');
  mkdirSync(join(data, 'latency'), { recursive: true });
  mkdirSync(join(data, 'burst'), { recursive: true });

  const { server, exited, err } = await startServe(dir);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dir, 'millrace.db'), { readonly: true });
  db.pragma('busy_timeout = 10000');
  const runOf = db.prepare(
    `SELECT r.created_at AS createdAt FROM data_change_handled h JOIN runs r ON r.id = h.run_id JOIN schedules s ON s.id = h.schedule_id WHERE s.name = ? AND h.path = ?`,
  );
  const countOf = db.prepare(`SELECT COUNT(*) AS n FROM data_change_handled h JOIN schedules s ON s.id = h.schedule_id WHERE s.name = ? AND h.run_id IS NOT NULL`);
  const runsOf = db.prepare(`SELECT COUNT(*) AS n FROM runs WHERE kind = 'pipeline' AND json_extract(trigger_info, '$.schedule') = ?`);
  await sleep(1500); // watchers up

  // 1. Latency, one file at a time.
  const latencies = [];
  for (let i = 0; i < latencyFiles; i++) {
    const rel = `latency/f${i}.csv`;
    writeFileSync(join(data, rel), `row,${i}\n`);
    const written = Date.now();
    const end = written + 20_000;
    let row;
    while (!(row = runOf.get('latency', rel)) && Date.now() < end) await sleep(5);
    if (row) latencies.push(row.createdAt - written);
    await sleep(50);
  }
  const sorted = [...latencies].sort((a, b) => a - b);

  // 2. Burst.
  const before = peakKb(server.pid);
  const t0 = Date.now();
  for (let i = 0; i < burst; i++) writeFileSync(join(data, 'burst', `b${String(i).padStart(5, '0')}.csv`), `burst,${i}\n`);
  const writtenMs = Date.now() - t0;
  const end = Date.now() + 600_000;
  while (countOf.get('burst').n < burst && Date.now() < end) await sleep(200);
  const handledMs = Date.now() - t0;
  await sleep(3000); // nothing more may come
  const burstRuns = runsOf.get('burst').n;
  const peak = peakKb(server.pid);
  db.close();
  server.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });

  const result = {
    latency: { files: latencyFiles, measured: latencies.length, p50Ms: pct(sorted, 50), p95Ms: pct(sorted, 95), maxMs: sorted[sorted.length - 1] },
    burst: { files: burst, writtenMs, handledMs, runs: burstRuns, filesPerSec: (burst / handledMs) * 1000, peakRssMiB: peak && mib(peak), peakRssBeforeBurstMiB: before && mib(before) },
  };
  if (burstRuns !== burst || latencies.length !== latencyFiles) console.error(`schedules bench: unexpected counts; server log:\n${err().slice(0, 3000)}`);
  report.schedules(result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runSchedulesBench({ schedules: (r) => console.log(JSON.stringify(r, null, 2)) });
}
