// Drives one pipeline run: starts steps as soon as their inputs are ready, up to each compute
// target's max_concurrency, reuses unchanged steps, records everything in the store.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RunStatus } from '../../shared/constants.js';
import { interpolate } from '../../shared/pipeline/expressions.js';
import { pythonRuntimeDir } from '../package-root.js';
import { codeFilter } from '../reuse/code-files.js';
import { ContentHasher, type PathHash } from '../reuse/content-hasher.js';
import type { RunPatch } from '../store/run-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { ComputePool } from './compute-pool.js';
import { MetricsReader } from './metrics-reader.js';
import { stepRunDir, type PlannedStep, type RunPlan } from './plan.js';
import { reuseKey } from './reuse-key.js';
import { startStepProcess, type StepExit, type StepProcess } from './step-process.js';

export type RunEvent =
  | { type: 'run'; runId: string; status: RunStatus; error?: string | null }
  | { type: 'step'; runId: string; stepRunId: string; step: string; status: RunStatus; reusedFrom?: string | null; error?: string | null; attempt?: number };

export interface RunnerOptions {
  experiment: string;
  regenerateOutputs?: boolean;
  onEvent?: (e: RunEvent) => void;
}

interface StepState {
  plan: PlannedStep;
  runId: string;
  status: RunStatus;
  pending: number;
  dependents: StepState[];
  outputs: Record<string, string>;
  outputHashes: Record<string, string>;
  inputPaths: Record<string, string>;
  inputKinds: Record<string, string>;
  attempt: number;
  proc?: StepProcess;
  metrics?: MetricsReader;
  error?: string;
  /** Content of the step's code, written as its snapshot manifest when it runs. */
  code?: PathHash;
}

const TICK_MS = 250;

export class PipelineRunner {
  private readonly steps: StepState[];
  private readonly byId = new Map<string, StepState>();
  private readonly pools = new Map<string, ComputePool>();
  /** Steps waiting for a compute slot. */
  private readonly queued = new Set<StepState>();
  /** Status changes not yet written: coalesced into one transaction per event-loop turn. */
  private readonly pendingWrites = new Map<string, RunPatch>();
  private flushScheduled = false;
  private readonly hasher: ContentHasher;
  private readonly pathHashes = new Map<string, Promise<PathHash>>();
  private active = 0;
  private stopping = false;
  private canceled = false;
  private finished?: (s: RunStatus) => void;
  private ticker?: NodeJS.Timeout;
  private readonly baseEnv: NodeJS.ProcessEnv;

  constructor(
    private readonly ws: Workspace,
    readonly runId: string,
    private readonly plan: RunPlan,
    private readonly opts: RunnerOptions,
  ) {
    this.hasher = new ContentHasher(ws.store.fileHashes);
    const rows = new Map(ws.store.runs.stepRows(runId).map((r) => [r.name, r.id]));
    this.steps = plan.steps.map((p) => ({
      plan: p, runId: rows.get(p.id)!, status: 'NotStarted', pending: p.deps.length, dependents: [],
      outputs: {}, outputHashes: {}, inputPaths: {}, inputKinds: {}, attempt: 0,
    }));
    for (const s of this.steps) this.byId.set(s.plan.id, s);
    for (const s of this.steps) for (const d of s.plan.deps) this.byId.get(d)!.dependents.push(s);
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('MILLRACE_') && k !== 'MILLRACE_WORKSPACE') delete env[k];
    this.baseEnv = env;
  }

  /** Runs to the end; resolves with the run's final status. */
  run(): Promise<RunStatus> {
    const done = new Promise<RunStatus>((r) => (this.finished = r));
    this.ws.store.runs.update(this.runId, { status: 'Running', started_at: Date.now() });
    mkdirSync(this.ws.runDir(this.runId), { recursive: true });
    for (const ds of new Set(this.plan.steps.flatMap((st) => Object.values(st.outputs).map((o) => o.datastore)))) {
      mkdirSync(join(this.ws.datastorePath(ds), 'azureml'), { recursive: true });
    }
    this.emit({ type: 'run', runId: this.runId, status: 'Running' });
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
    for (const s of this.steps) if (s.pending === 0) this.prepare(s);
    if (this.active === 0) this.finish();
    return done;
  }

  /** Cancel: queued steps end at once, running process groups get SIGTERM then SIGKILL. */
  cancel(): void {
    if (this.canceled) return;
    this.canceled = true;
    this.stopping = true;
    for (const pool of this.pools.values()) pool.withdraw(this);
    for (const s of this.queued) {
      this.active--;
      this.setStep(s, 'Canceled', { ended_at: Date.now() });
    }
    this.queued.clear();
    for (const s of this.steps) s.proc?.terminate();
    if (this.active === 0) this.finish();
  }

  private emit(e: RunEvent): void {
    this.opts.onEvent?.(e);
  }

  private setStep(s: StepState, status: RunStatus, patch: RunPatch = {}): void {
    s.status = status;
    this.write(s.runId, { ...patch, status });
    this.emit({
      type: 'step', runId: this.runId, stepRunId: s.runId, step: s.plan.id, status,
      reusedFrom: patch.reused_from ?? undefined, error: patch.error ?? undefined, attempt: s.attempt || undefined,
    });
  }

  private tick(): void {
    try {
      if (!this.canceled && this.ws.store.runs.cancelRequested([this.runId]).length) this.cancel();
      for (const s of this.steps) if (s.status === 'Running') this.ingestMetrics(s, false);
    } catch {
      /* a busy database is retried on the next tick */
    }
  }

  private hashPathOnce(path: string, filter?: (rel: string, isDir: boolean) => boolean): Promise<PathHash> {
    let p = this.pathHashes.get(path);
    if (!p) {
      p = this.hasher.hashPath(path, filter);
      this.pathHashes.set(path, p);
    }
    return p;
  }

  private async prepare(s: StepState): Promise<void> {
    this.active++;
    try {
      const p = s.plan;
      const inputHashes: Record<string, string> = {};
      for (const [name, inp] of Object.entries(p.inputs)) {
        if (inp.kind === 'step') {
          const up = this.byId.get(inp.step)!;
          s.inputPaths[name] = up.outputs[inp.output];
          s.inputKinds[name] = 'pipelineData';
          inputHashes[name] = up.outputHashes[inp.output];
        } else {
          s.inputPaths[name] = inp.path;
          s.inputKinds[name] = inp.tabular ? 'tabular' : 'file';
          inputHashes[name] = (await this.hashPathOnce(inp.path)).hash;
        }
      }
      const codeRoot = p.sourceDir ?? p.scriptPath;
      if (codeRoot) s.code = await this.hashPathOnce(codeRoot, p.sourceDir ? codeFilter(p.sourceDir, this.ws.dir) : undefined);
      const key = reuseKey(p, { codeHash: s.code?.hash ?? '', inputHashes });
      if (this.stopping) {
        this.active--;
        if (this.canceled) this.setStep(s, 'Canceled', { ended_at: Date.now() });
        return this.maybeFinish();
      }
      if (p.allowReuse && !this.opts.regenerateOutputs && (await this.tryReuse(s, key))) return;
      this.write(s.runId, { reuse_key: key });
      this.enqueue(s);
    } catch (e) {
      this.active--;
      this.fail(s, `could not prepare step: ${(e as Error).message}`);
      this.maybeFinish();
    }
  }

  /** Reuse the newest completed step with this key whose outputs are still there, unchanged. */
  private async tryReuse(s: StepState, key: string): Promise<boolean> {
    for (const cand of this.ws.store.runs.reuseCandidates(key)) {
      if (cand.parent_id === this.runId || !cand.outputs || !cand.output_hashes) continue;
      const outputs = JSON.parse(cand.outputs) as Record<string, string>;
      const hashes = JSON.parse(cand.output_hashes) as Record<string, string>;
      let intact = true;
      for (const [name, path] of Object.entries(outputs)) {
        if (!existsSync(path) || (await this.hasher.hashPath(path)).hash !== hashes[name]) {
          intact = false;
          break;
        }
      }
      if (!intact) continue;
      const source = cand.reused_from ?? cand.id;
      s.outputs = outputs;
      s.outputHashes = hashes;
      const now = Date.now();
      this.setStep(s, 'Completed', {
        started_at: now, ended_at: now, reuse_key: key, reused_from: source,
        outputs: cand.outputs, output_hashes: cand.output_hashes, exit_code: cand.exit_code,
      });
      this.active--;
      this.stepEnded(s);
      return true;
    }
    return false;
  }

  private pool(compute: string): ComputePool {
    let p = this.pools.get(compute);
    if (!p) {
      p = new ComputePool(`${this.ws.dir}\0${compute}`, this.ws.config.compute[compute]?.maxConcurrency ?? 1);
      this.pools.set(compute, p);
    }
    return p;
  }

  private enqueue(s: StepState): void {
    this.queued.add(s);
    this.setStep(s, 'Queued');
    this.pool(s.plan.compute).request(this, () => {
      this.queued.delete(s);
      if (this.stopping) {
        // An earlier step failed meanwhile: give the slot back, the step never starts.
        this.pool(s.plan.compute).release();
        this.active--;
        this.setStep(s, this.canceled ? 'Canceled' : 'NotStarted', this.canceled ? { ended_at: Date.now() } : {});
        return this.maybeFinish();
      }
      this.launch(s);
    });
  }

  /** Queue a row change; written with the others of this event-loop turn in one transaction. */
  private write(id: string, patch: RunPatch): void {
    const prev = this.pendingWrites.get(id);
    this.pendingWrites.set(id, prev ? { ...prev, ...patch } : patch);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushWrites());
    }
  }

  private flushWrites(): void {
    this.flushScheduled = false;
    if (!this.pendingWrites.size) return;
    const batch = [...this.pendingWrites];
    this.pendingWrites.clear();
    this.ws.store.runs.updateMany(batch);
  }

  private launch(s: StepState): void {
    const p = s.plan;
    const dir = stepRunDir(this.ws, this.runId, p.id);
    if (s.attempt === 0) {
      // Plain (non-recursive) mkdirs: the parents are made once per run in run().
      mkdirSync(dir);
      const made = new Set<string>();
      for (const [name, out] of Object.entries(p.outputs)) {
        const stepFolder = join(this.ws.datastorePath(out.datastore), 'azureml', s.runId);
        if (!made.has(stepFolder)) mkdirSync(stepFolder);
        made.add(stepFolder);
        const folder = join(stepFolder, name);
        mkdirSync(folder);
        s.outputs[name] = folder;
      }
    }
    if (s.attempt === 0 && s.code) {
      // The snapshot of the step's code: which files, with which content, this run used.
      const root = p.sourceDir ?? p.scriptPath!;
      writeFileSync(join(dir, 'snapshot.json'), JSON.stringify({ root, hash: s.code.hash, files: s.code.files }, null, 1));
    }
    s.attempt++;
    const resolve = (text: string) =>
      interpolate(text, (r) => (r.kind === 'inputs' ? s.inputPaths[r.name] : r.kind === 'outputs' ? s.outputs[r.name] : undefined));
    let args: string[];
    let env: NodeJS.ProcessEnv;
    try {
      args = p.args.map(resolve);
      env = this.stepEnv(s, dir, resolve);
    } catch (e) {
      void this.attemptEnded(s, { exitCode: null, signal: null, timedOut: false, spawnError: (e as Error).message });
      return;
    }
    s.metrics = new MetricsReader(env.MILLRACE_METRICS_FILE!, s.runId, this.runId);
    const header = `[millrace] ${new Date().toISOString()} attempt ${s.attempt}: ${JSON.stringify([p.program, ...args])} (cwd ${p.cwd})\n`;
    const proc = startStepProcess({
      program: p.program, args, cwd: p.cwd, env, logFile: join(dir, 'std_log.txt'), header,
      timeoutMs: p.timeoutMs, killGraceMs: this.ws.config.killGraceMs,
    });
    s.proc = proc;
    this.setStep(s, 'Running', { started_at: s.attempt === 1 ? Date.now() : undefined, attempt: s.attempt, outputs: JSON.stringify(s.outputs) });
    // Recorded so that a later millrace process can kill the step if this one dies.
    void proc.started.then((st) => st && s.proc === proc && this.write(s.runId, { pid: st.pid, pid_start: st.pidStart ?? null }));
    if (this.canceled) proc.terminate();
    void proc.done.then((exit) => this.attemptEnded(s, exit));
  }

  private stepEnv(s: StepState, dir: string, resolve: (t: string) => string): NodeJS.ProcessEnv {
    const p = s.plan;
    const env: NodeJS.ProcessEnv = { ...this.baseEnv };
    for (const [k, v] of Object.entries(p.env)) env[k] = resolve(v);
    env.PYTHONPATH = env.PYTHONPATH ? `${pythonRuntimeDir()}${delimiter}${env.PYTHONPATH}` : pythonRuntimeDir();
    Object.assign(env, {
      MILLRACE_RUN_ID: s.runId,
      MILLRACE_PARENT_RUN_ID: this.runId,
      MILLRACE_EXPERIMENT: this.opts.experiment,
      MILLRACE_WORKSPACE: this.ws.dir,
      MILLRACE_METRICS_FILE: join(dir, 'metrics.jsonl'),
      MILLRACE_RUN_DIR: dir,
      MILLRACE_STEP: p.id,
      AZUREML_RUN_ID: s.runId,
      MILLRACE_INPUTS: JSON.stringify(Object.fromEntries(Object.entries(s.inputPaths).map(([k, v]) => [k, { path: v, kind: s.inputKinds[k] }]))),
      MILLRACE_OUTPUTS: JSON.stringify(s.outputs),
    });
    for (const [k, v] of Object.entries(s.inputPaths)) {
      env[`MILLRACE_INPUT_${k.toUpperCase()}`] = v;
      env[`AZUREML_DATAREFERENCE_${k}`] = v;
    }
    for (const [k, v] of Object.entries(s.outputs)) {
      env[`MILLRACE_OUTPUT_${k.toUpperCase()}`] = v;
      env[`AZUREML_DATAREFERENCE_${k}`] = v;
    }
    for (const [k, v] of Object.entries(p.parameters)) env[`AML_PARAMETER_${k}`] = String(v);
    return env;
  }

  private ingestMetrics(s: StepState, final: boolean): void {
    if (!s.metrics) return;
    const batch = s.metrics.read(final);
    this.ws.store.metrics.insert(batch.metrics);
    for (const t of batch.tags) this.ws.store.runs.mergeTags(t.parent ? this.runId : s.runId, { [t.key]: t.value });
    if (batch.problems.length) {
      appendFileSync(join(stepRunDir(this.ws, this.runId, s.plan.id), 'std_log.txt'), batch.problems.map((m) => `[millrace] ${m}\n`).join(''));
    }
  }

  private async attemptEnded(s: StepState, exit: StepExit): Promise<void> {
    const p = s.plan;
    s.proc = undefined;
    const ok = exit.exitCode === 0 && !exit.spawnError && !exit.timedOut;
    let error: string | undefined;
    if (!ok) {
      error = exit.spawnError ?? (exit.timedOut ? `timed out after ${p.timeoutMs! / 1000} s` : exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.exitCode}`);
    }
    if (this.canceled) {
      this.ingestMetrics(s, true);
      this.pool(p.compute).release();
      this.active--;
      this.setStep(s, 'Canceled', { ended_at: Date.now(), exit_code: exit.exitCode, pid: null, error: 'canceled' });
      return this.maybeFinish();
    }
    if (!ok && s.attempt <= p.retries) {
      appendFileSync(join(stepRunDir(this.ws, this.runId, p.id), 'std_log.txt'), `[millrace] attempt ${s.attempt} failed: ${error}; retrying\n`);
      return this.launch(s);
    }
    this.setStep(s, 'Finalizing', { exit_code: exit.exitCode, pid: null });
    try {
      this.ingestMetrics(s, true);
      if (ok) {
        for (const [name, folder] of Object.entries(s.outputs)) s.outputHashes[name] = (await this.hasher.hashPath(folder)).hash;
        this.hasher.flush();
      }
    } catch (e) {
      error ??= `could not record the step's results: ${(e as Error).message}`;
    }
    this.active--;
    if (ok && !error) {
      this.setStep(s, 'Completed', { ended_at: Date.now(), output_hashes: JSON.stringify(s.outputHashes) });
    } else {
      // Before the slot is released: a step waiting for it must see that the run is stopping.
      this.fail(s, error!);
    }
    this.pool(p.compute).release();
    if (ok && !error) this.stepEnded(s);
    this.maybeFinish();
  }

  private fail(s: StepState, error: string): void {
    s.error = error;
    this.setStep(s, 'Failed', { ended_at: Date.now(), error, pid: null });
    if (!this.plan.continueOnStepFailure) this.stopping = true;
  }

  private stepEnded(s: StepState): void {
    for (const d of s.dependents) {
      if (--d.pending === 0 && !this.stopping) this.prepare(d);
    }
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.active === 0) this.finish();
  }

  private finish(): void {
    if (!this.finished) return;
    const resolveRun = this.finished;
    this.finished = undefined;
    if (this.ticker) clearInterval(this.ticker);
    this.hasher.flush();
    this.flushWrites();
    const failed = this.steps.filter((s) => s.status === 'Failed');
    const notRun = this.steps.filter((s) => s.status === 'NotStarted');
    const status: RunStatus = this.canceled ? 'Canceled' : failed.length || notRun.length ? 'Failed' : 'Completed';
    const error = this.canceled ? 'canceled' : failed.length ? `step '${failed[0].plan.id}' failed: ${failed[0].error}` : null;
    const now = Date.now();
    const patches: [string, RunPatch][] = notRun.map((s) => [
      s.runId,
      this.canceled ? { status: 'Canceled', ended_at: now } : { error: `not started: ${failed.length ? 'an upstream or earlier step failed' : 'its inputs were never produced'}` },
    ]);
    patches.push([this.runId, { status, ended_at: now, error }]);
    this.ws.store.runs.updateMany(patches);
    for (const s of notRun) if (this.canceled) this.emit({ type: 'step', runId: this.runId, stepRunId: s.runId, step: s.plan.id, status: 'Canceled' });
    this.emit({ type: 'run', runId: this.runId, status, error });
    resolveRun(status);
  }
}
