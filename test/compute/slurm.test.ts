// The Slurm compute target against a real one-node cluster (../shared/slurm/start.sh): data passing
// between local and Slurm steps, reuse across targets, cancel, timeout, failing jobs, errors named
// before anything is submitted, and a run whose millrace process was killed, adopted and finished
// by the next one. CLI tests run dist/ (`npm run build` first).
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunManager } from '../../main/executor/run-manager.js';
import { submitRun } from '../../main/executor/submit.js';
import { runWorkspaceRunner } from '../../main/executor/workspace-runner.js';
import { Store } from '../../main/store/store.js';
import type { Workspace } from '../../main/workspace/workspace.js';
import { pidAlive, readPids, runPipeline, sh, SLEEPERS, step, waitFor, writePipeline } from '../helpers/executor.js';
import { hasSbatch, jobState, startCluster, type Cluster } from '../helpers/slurm.js';
import { cli, cliAsync, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

process.env.MILLRACE_SLURM_POLL_MS = '250';

const CONFIG = [
  'compute:',
  '  local: { type: local, max_concurrency: 4 }',
  '  hpc: { type: slurm, partition: debug, max_concurrency: 8 }',
  'environments:',
  "  default: { python: python3, env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } }",
  'executor: { kill_grace_ms: 300 }',
  '',
].join('\n');

let cluster: Cluster | undefined;
let tmp: TempWorkspace;
let ws: Workspace | undefined;
const children: ChildProcess[] = [];

describe.skipIf(!hasSbatch)('Slurm compute target', () => {
  beforeAll(() => {
    // KillWait 2 s: scancel's SIGTERM is followed by SIGKILL that soon.
    cluster = startCluster({ KILL_WAIT: '2' });
  });
  afterAll(() => cluster?.stop());
  beforeEach(() => {
    tmp = tempWorkspace(CONFIG);
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    ws?.close();
    ws = undefined;
    tmp.cleanup();
  });

  it('runs a mixed local + Slurm pipeline with data passing, argv and environment exactly as locally, and records the job', async () => {
    ws = tmp.open();
    const py = [
      'import json, os, sys',
      'from millrace import Run',
      "data = open(os.path.join(sys.argv[1], 'data.txt')).read().strip()",
      'import time; time.sleep(1.5)',
      "Run.get_context().log('remote_metric', 0.5)",
      "json.dump({'data': data, 'argv': sys.argv[3:], 'greeting': os.environ.get('GREETING'), 'input': os.environ.get('MILLRACE_INPUT_DATA'),",
      "           'job': os.environ.get('SLURM_JOB_ID'), 'cwd': os.getcwd()}, open(os.path.join(sys.argv[2], 'result.json'), 'w'))",
      "print('remote done')",
    ].join('\n');
    const file = writePipeline(tmp, 'mixed', {
      steps: {
        prep: { type: 'command', command: sh('echo hello > "$0/data.txt"', '${{outputs.out}}'), outputs: { out: {} } },
        remote: {
          type: 'command', compute: 'hpc', inputs: { data: '${{steps.prep.outputs.out}}' }, outputs: { out: {} }, env: { GREETING: 'hi there' },
          command: ['python3', '-c', py, '${{inputs.data}}', '${{outputs.out}}', 'a b', '$(echo x)', "it's \"quoted\"", '', '*'],
        },
        report: { type: 'command', inputs: { r: '${{steps.remote.outputs.out}}' }, command: sh('cat "$0/result.json"', '${{inputs.r}}') },
      },
    });
    const { status, rec, events } = await runPipeline(ws, file);
    expect(status, JSON.stringify(rec.steps.map((s) => [s.name, s.status, s.error]))).toBe('Completed');
    const remote = step(rec, 'remote');
    const result = JSON.parse(readFileSync(join(remote.outputs.out, 'result.json'), 'utf8'));
    expect(result.data).toBe('hello');
    expect(result.argv).toEqual(['a b', '$(echo x)', "it's \"quoted\"", '', '*']);
    expect(result.greeting).toBe('hi there');
    expect(result.input).toBe(step(rec, 'prep').outputs.out);
    expect(result.job).toBe(remote.job?.id);
    expect(remote.job).toMatchObject({ state: 'COMPLETED', node: hostname().split('.')[0] });
    expect(remote.metrics.remote_metric).toBe(0.5);
    // Queued while the job was pending, Running while it ran.
    const seen = events.filter((e) => e.type === 'step' && e.step === 'remote').map((e) => e.status);
    // (Queued twice: entering the queue of the slots, then the submit of attempt 1.)
    expect(seen).toEqual(['Preparing', 'Queued', 'Queued', 'Running', 'Finalizing', 'Completed']);
    const log = readFileSync(join(tmp.dir, 'runs', rec.id, 'remote', 'std_log.txt'), 'utf8');
    expect(log).toContain(`submitted as Slurm job ${remote.job!.id}`);
    expect(log).toContain('remote done');
    // `runs show` names the job beside the step.
    const shown = cli(['runs', 'show', rec.id, '-w', tmp.dir]);
    expect(shown.stdout).toMatch(new RegExp(`remote\\s+Completed\\s+[\\d.]+ m?s\\s+${remote.job!.id} COMPLETED on `));
  });

  it('reuses a step across local and Slurm targets when its key matches', async () => {
    ws = tmp.open();
    const spec = (compute: string, text: string) => ({
      steps: { make: { type: 'command', compute, outputs: { o: {} }, command: sh(`echo ${text} > "$0/f"`, '${{outputs.o}}') } },
    });
    const a = await runPipeline(ws, writePipeline(tmp, 'a', spec('local', 'one')));
    const b = await runPipeline(ws, writePipeline(tmp, 'b', spec('hpc', 'one')));
    expect(a.status).toBe('Completed');
    expect(step(b.rec, 'make').reusedFrom).toBe(step(a.rec, 'make').id);
    const c = await runPipeline(ws, writePipeline(tmp, 'c', spec('hpc', 'two')));
    const d = await runPipeline(ws, writePipeline(tmp, 'd', spec('local', 'two')));
    expect(step(c.rec, 'make').job?.state).toBe('COMPLETED');
    expect(step(d.rec, 'make').reusedFrom).toBe(step(c.rec, 'make').id);
  });

  it('cancels a running job with scancel: the step ends Canceled and its whole process tree is gone', async () => {
    ws = tmp.open();
    const pidFile = join(tmp.dir, 'pids');
    const file = writePipeline(tmp, 'long', { steps: { long: { type: 'command', compute: 'hpc', command: sh(`echo started; ${SLEEPERS}`, pidFile) } } });
    const { runId, runner } = submitRun(ws, file, { trigger: { kind: 'cli' } });
    const done = runner.run();
    const pids = await waitFor(() => readPids(pidFile, 3), 'the job to start its processes');
    expect(pids.every(pidAlive)).toBe(true);
    // The job writes into the step's log as it runs: what the studio follows.
    await waitFor(() => /^started$/m.test(readFileSync(join(tmp.dir, 'runs', runId, 'long', 'std_log.txt'), 'utf8')), 'the running job to write its log');
    runner.cancel();
    expect(await done).toBe('Canceled');
    const s = step(ws.store.runs.get(runId), 'long');
    expect(s.status).toBe('Canceled');
    expect(pids.filter(pidAlive)).toEqual([]);
    expect(jobState(s.job!.id)).toBe('CANCELLED');
  });

  it("kills a job that exceeds the step's timeout (counted from its start) and fails the step", async () => {
    ws = tmp.open();
    const pidFile = join(tmp.dir, 'pids');
    const file = writePipeline(tmp, 'slow', { steps: { slow: { type: 'command', compute: 'hpc', timeout: 1, command: sh(SLEEPERS, pidFile) } } });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Failed');
    expect(step(rec, 'slow').error).toBe('timed out after 1 s');
    expect(readPids(pidFile, 3)!.filter(pidAlive)).toEqual([]);
  });

  it('fails a failing job with its exit code after its retries, each attempt a new job', async () => {
    ws = tmp.open();
    const file = writePipeline(tmp, 'bad', {
      steps: {
        bad: { type: 'command', compute: 'hpc', retries: 1, command: sh('echo boom; exit 3') },
        after: { type: 'command', run_after: ['bad'], command: ['true'] },
      },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status).toBe('Failed');
    const bad = step(rec, 'bad');
    expect(bad.attempt).toBe(2);
    expect(bad.error).toMatch(/^Slurm job \d+ FAILED: exited with code 3$/);
    expect(bad.job?.state).toBe('FAILED');
    expect(step(rec, 'after').status).toBe('Canceled');
    const log = readFileSync(join(tmp.dir, 'runs', rec.id, 'bad', 'std_log.txt'), 'utf8');
    expect(log.match(/^boom$/gm)).toHaveLength(2);
    expect(log.match(/submitted as Slurm job/g)).toHaveLength(2);
  });

  it('names an unknown partition, a missing sbatch and an unreachable controller before submitting anything (exit 2)', () => {
    tmp.write('millrace.yml', CONFIG.replace('partition: debug', 'partition: gpu-huge'));
    const file = writePipeline(tmp, 'p', { steps: { s: { type: 'command', compute: 'hpc', command: ['true'] } } });
    const r1 = cli(['run', file, '-w', tmp.dir]);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toContain("compute target 'hpc': unknown Slurm partition 'gpu-huge' (partitions: debug)");
    tmp.write('millrace.yml', CONFIG);
    const r2 = cli(['run', file, '-w', tmp.dir], { env: { PATH: '/nonexistent' } });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain('sbatch and sinfo are not installed here');
    const bad = join(tmp.dir, 'unreachable.conf');
    writeFileSync(bad, `${readFileSync(cluster!.conf, 'utf8')}\nSlurmctldPort=1\nMessageTimeout=1\n`);
    const r3 = cli(['run', file, '-w', tmp.dir], { env: { SLURM_CONF: bad } });
    expect(r3.status).toBe(2);
    expect(r3.stderr).toContain("compute target 'hpc': no Slurm controller reachable");
    const store = Store.open(join(tmp.dir, 'millrace.db'));
    try {
      expect(store.runs.list()).toEqual([]); // nothing was recorded, nothing submitted
    } finally {
      store.close();
    }
  });

  it('a run whose millrace process was killed is adopted by the next millrace process, which follows its job and finishes the run', async () => {
    const flag = join(tmp.dir, 'go');
    const file = writePipeline(tmp, 'adopt', {
      steps: {
        prep: { type: 'command', outputs: { o: {} }, command: sh('echo prepared > "$0/f"', '${{outputs.o}}') },
        remote: {
          type: 'command', compute: 'hpc', inputs: { p: '${{steps.prep.outputs.o}}' }, outputs: { o: {} },
          command: sh('while [ ! -e "$2" ]; do sleep 0.1; done; cat "$1/f" > "$0/f"; echo adopted >> "$0/f"', '${{outputs.o}}', '${{inputs.p}}', flag),
        },
        after: { type: 'command', inputs: { i: '${{steps.remote.outputs.o}}' }, command: sh('cat "$0/f"', '${{inputs.i}}') },
      },
    });
    const env = { MILLRACE_RUNNER_IDLE_MS: '1000' };
    const child = cliAsync(['run', file, '-w', tmp.dir], { env });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const runId = await waitFor(() => /^Run (\w+) of/m.exec(output)?.[1], 'the run id');
    const store = Store.open(join(tmp.dir, 'millrace.db'));
    try {
      const jobId = await waitFor(() => {
        const r = store.runs.stepStates(runId).find((s) => s.name === 'remote');
        return r?.status === 'Running' && r.jobId;
      }, 'the job to run');
      await waitFor(() => output.includes(`remote  Running  (Slurm job ${jobId} on `), 'the CLI to name the job');
      expect(output.match(/remote {2}Queued/g)).toHaveLength(1);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // Any command opening the workspace finds the run orphaned, releases it and starts a runner.
      const show = cli(['runs', 'show', runId, '-w', tmp.dir], { env });
      expect(show.stderr).toContain('Started a millrace runner');
      writeFileSync(flag, '');
      await waitFor(() => store.runs.state(runId)!.status === 'Completed', 'the adopted run to complete', 30_000);
      const rec = store.runs.get(runId);
      expect(step(rec, 'remote').job?.id).toBe(jobId); // followed, never submitted again
      expect(readFileSync(join(step(rec, 'remote').outputs.o, 'f'), 'utf8')).toBe('prepared\nadopted\n');
      // The step that had completed stayed as it was: it ran once.
      expect(readFileSync(join(tmp.dir, 'runs', runId, 'prep', 'std_log.txt'), 'utf8').match(/attempt 1/g)).toHaveLength(1);
      expect(step(rec, 'remote').attempt).toBe(1);
      expect(step(rec, 'after').status).toBe('Completed');
      const runnerLog = readFileSync(join(tmp.dir, 'runs', 'runner.log'), 'utf8');
      expect(runnerLog).toContain(`claimed run ${runId}`);
      expect(runnerLog).toContain(`run ${runId} ended Completed`);
      // Idle, the runner leaves and gives its lock back.
      await waitFor(() => !store.claims.runnerLock(), 'the runner to exit', 15_000);
      expect(existsSync(join(tmp.dir, 'runs', runId, 'after', 'std_log.txt'))).toBe(true);
    } finally {
      store.close();
    }
  });

  it('a server that stops hands its Slurm run on instead of cancelling it: the job goes on and a runner finishes the run', async () => {
    ws = tmp.open();
    const flag = join(tmp.dir, 'go');
    const file = writePipeline(tmp, 'handover', {
      steps: {
        remote: { type: 'command', compute: 'hpc', command: sh('while [ ! -e "$0" ]; do sleep 0.1; done', flag) },
        after: { type: 'command', run_after: ['remote'], command: ['true'] },
      },
    });
    const manager = new RunManager(ws);
    const { runId } = manager.submit(file, { trigger: { kind: 'cli' } });
    const jobId = await waitFor(() => {
      const r = ws!.store.runs.stepStates(runId).find((x) => x.name === 'remote');
      return r?.status === 'Running' && r.jobId;
    }, 'the job to run');
    await manager.dispose();
    const row = ws.store.runs.state(runId)!;
    expect(row).toMatchObject({ status: 'Running', ownerPid: null });
    expect(jobState(jobId)).toBe('RUNNING');
    expect(ws.store.claims.unclaimed().map((u) => u.id)).toEqual([runId]);
    writeFileSync(flag, '');
    expect(await runWorkspaceRunner(ws, { idleMs: 100, everyMs: 50, log: () => {} })).toBe('idle');
    const rec = ws.store.runs.get(runId);
    expect(rec.status).toBe('Completed');
    expect(step(rec, 'remote').job?.id).toBe(jobId);
    expect(step(rec, 'after').status).toBe('Completed');
  });

  it('`runs cancel` of a run whose millrace process was killed cancels its job too', async () => {
    const pidFile = join(tmp.dir, 'pids');
    const file = writePipeline(tmp, 'orphan', { steps: { long: { type: 'command', compute: 'hpc', command: sh(SLEEPERS, pidFile) } } });
    const env = { MILLRACE_RUNNER_IDLE_MS: '1000' };
    const child = cliAsync(['run', file, '-w', tmp.dir], { env });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    const runId = await waitFor(() => /^Run (\w+) of/m.exec(output)?.[1], 'the run id');
    const pids = await waitFor(() => readPids(pidFile, 3), 'the job to start its processes');
    const store = Store.open(join(tmp.dir, 'millrace.db'));
    try {
      const jobId = await waitFor(() => store.runs.stepStates(runId)[0]?.jobId, 'the job id');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const r = cli(['runs', 'cancel', runId, '-w', tmp.dir, '--json'], { env });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).status).toBe('Canceled');
      // The job only ends by being killed (it sleeps 100 s). slurmd reports a batch job cancelled in
      // its first seconds as CANCELLED or, on some nodes, FAILED (Reason=JobLaunchFailure, signal 9).
      await waitFor(() => ['CANCELLED', 'FAILED'].includes(jobState(jobId)), 'the job to be cancelled', 15_000);
      await waitFor(() => pids.every((p) => !pidAlive(p)), 'the job processes to be gone', 15_000);
    } finally {
      store.close();
    }
  });

  it("keeps at most the target's max_concurrency jobs of the workspace in flight", async () => {
    tmp.write('millrace.yml', CONFIG.replace('max_concurrency: 8', 'max_concurrency: 1'));
    ws = tmp.open();
    // Each step marks itself running and fails if the other one is marked meanwhile.
    const mark = (me: string, other: string) =>
      sh('touch "$0/$1"; for i in 1 2 3 4 5 6 7 8; do [ -e "$0/$2" ] && exit 9; sleep 0.1; done; rm "$0/$1"', tmp.dir, me, other);
    const file = writePipeline(tmp, 'one', {
      steps: { a: { type: 'command', compute: 'hpc', command: mark('a', 'b') }, b: { type: 'command', compute: 'hpc', command: mark('b', 'a') } },
    });
    const { status, rec } = await runPipeline(ws, file);
    expect(status, JSON.stringify(rec.steps.map((x) => [x.name, x.error]))).toBe('Completed');
  });

  it('handing a run on stops its local steps (they cannot outlive their process) while its jobs go on', async () => {
    ws = tmp.open();
    const flag = join(tmp.dir, 'go');
    const pidFile = join(tmp.dir, 'pids');
    const file = writePipeline(tmp, 'mixed-handover', {
      continue_on_step_failure: true,
      steps: {
        remote: { type: 'command', compute: 'hpc', command: sh('while [ ! -e "$0" ]; do sleep 0.1; done', flag) },
        loc: { type: 'command', command: sh(SLEEPERS, pidFile) },
        after: { type: 'command', run_after: ['remote'], command: ['true'] },
      },
    });
    const manager = new RunManager(ws);
    const { runId } = manager.submit(file, { trigger: { kind: 'cli' } });
    await waitFor(() => ws!.store.runs.stepStates(runId).find((x) => x.name === 'remote')?.status === 'Running', 'the job to run');
    const pids = await waitFor(() => readPids(pidFile, 3), 'the local step to run');
    await manager.dispose();
    expect(pids.filter(pidAlive)).toEqual([]);
    const loc = ws.store.runs.stepStates(runId).find((x) => x.name === 'loc')!;
    expect(loc).toMatchObject({ status: 'Failed', error: 'stopped: the millrace process driving the run shut down' });
    writeFileSync(flag, '');
    await runWorkspaceRunner(ws, { idleMs: 100, everyMs: 50, log: () => {} });
    const rec = ws.store.runs.get(runId);
    expect(rec.steps.map((x) => [x.name, x.status])).toEqual([['remote', 'Completed'], ['loc', 'Failed'], ['after', 'Completed']]);
    expect(rec.status).toBe('Failed');
  });
});
