// Drives one pipeline run. Every step is a small state machine (step-states.ts): the runner fires
// events, the table decides the status, and a step's process starts only inside the transition
// into Running of that attempt. A compute slot is a lease held in a try/finally; the run ends
// when every step is terminal (derived, never counted), and only after its last write committed.
import { setMaxListeners } from 'node:events';
import { relative, sep } from 'node:path';
import { isTerminal, type RunStatus } from '../../shared/constants.js';
import type { ApiEvent } from '../../shared/api/events.js';
import { resourceRequest } from '../../shared/pipeline/resources.js';
import type { Attempt, AttemptExit } from '../compute/attempt.js';
import { phaseOf, type JobState } from '../compute/slurm/job-states.js';
import { codeFilter } from '../reuse/code-files.js';
import { ContentHasher, type PathHash } from '../reuse/content-hasher.js';
import { findReusable, type ReuseMiss } from '../reuse/reuse-lookup.js';
import type { RunPatch } from '../store/run-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { ComputePool, TooLarge, type Lease, type PoolCapacity } from './compute-pool.js';
import type { PlannedStep, RunPlan } from './plan.js';
import { reuseKeyWithParts } from './reuse-key.js';
import { RunLayout } from './run-layout.js';
import { startRunWatch } from './run-watch.js';
import { RunWriter } from './run-writer.js';
import { isStoreFull, storeProblem } from './store-problem.js';
import { baseEnvironment } from './step-env.js';
import { prestartSpawnHelper } from './spawner-client.js';
import { startAttempt } from './step-launch.js';
import { StepMetrics } from './step-metrics.js';
import { collectArtifacts, inputEntries, materializeInputs, pathInputIdentity, type InputEntry } from './step-io.js';
import { makeWorkingCopy } from '../snapshots/code-snapshot.js';
import { registerDataset } from '../datasets/register.js';
import { selfIdentity } from './process-identity.js';
import { IllegalTransition, nextStatus, strictStates, transition, type StepEvent } from './step-states.js';


export interface RunnerOptions {
  experiment: string;
  regenerateOutputs?: boolean;
  onEvent?: (e: ApiEvent) => void;
  /** Trouble the user should hear about while the run goes on (e.g. the disk is full). */
  onProblem?: (message: string) => void;
  /** Resume a run another process started (resume.ts): each step's state as its row holds it. */
  restore?: Map<string, RestoredStep>;
}

/** A step of a resumed run: terminal, NotStarted, or a Slurm attempt in flight (with its job). */
export interface RestoredStep {
  status: RunStatus;
  attempt: number;
  outputs: Record<string, string>;
  outputHashes: Record<string, string>;
  error: string | null;
  jobId: string | null;
}

interface StepRun {
  plan: PlannedStep;
  /** The step run's id. */
  id: string;
  status: RunStatus;
  attempt: number;
  /** The highest attempt whose process was started: an attempt starts at most once. */
  launched: number;
  deps: StepRun[];
  dependents: StepRun[];
  inputs: Record<string, InputEntry>;
  outputs: Record<string, string>;
  outputHashes: Record<string, string>;
  code?: PathHash;
  proc?: Attempt;
  exit?: Promise<AttemptExit>;
  metrics?: StepMetrics;
  error?: string;
  /** The slot this step holds while it runs (its GPU ids). */
  lease?: Lease;
  /** A Slurm job to follow rather than submit (a resumed run). */
  adoptJob?: string;
  /** The current attempt's Slurm job, as last seen. */
  job?: { id: string; node: string | null; state: string | null };
}

const succeeded = (e: AttemptExit) => e.exitCode === 0 && !e.spawnError && !e.timedOut && !e.failure && !e.canceled;
const describeExit = (e: AttemptExit, timeoutMs: number | null) =>
  e.failure ?? e.spawnError ?? (e.timedOut ? `timed out after ${timeoutMs! / 1000} s` : e.signal ? `killed by ${e.signal}` : `exited with code ${e.exitCode}`);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class PipelineRunner {
  private readonly steps: StepRun[];
  private readonly byId = new Map<string, StepRun>();
  private readonly layout: RunLayout;
  private readonly writer: RunWriter;
  private readonly hasher: ContentHasher;
  private readonly pathHashes = new Map<string, Promise<PathHash>>();
  private readonly pools = new Map<string, ComputePool>();
  private readonly baseEnv = baseEnvironment();
  /** Aborted when no step may start any more: canceled, or a step failed (without continue_on_step_failure). */
  private readonly stopping = new AbortController();
  /** Aborted on cancel: work in flight stops too. */
  private readonly canceling = new AbortController();
  /** Set by detach(): the run is being handed to another process. */
  private detaching = false;
  private markDetached!: () => void;
  private readonly detached = new Promise<void>((r) => (this.markDetached = r));
  /** Set when the run must end Failed for a reason of its own (the store refused writes). */
  private abortedWith?: string;
  private firstFailure?: StepRun;
  private readonly tasks: Promise<void>[] = [];
  private phase: 'new' | 'running' | 'ended' = 'new';
  private markSettled!: () => void;
  private readonly settled = new Promise<void>((r) => (this.markSettled = r));

  constructor(
    private readonly ws: Workspace,
    readonly runId: string,
    private readonly plan: RunPlan,
    private readonly opts: RunnerOptions,
  ) {
    this.layout = new RunLayout(ws, runId);
    this.hasher = new ContentHasher(ws.store.fileHashes);
    this.writer = new RunWriter(ws.store.runs, (e) => this.storeRefused(e));
    // One listener per step waiting for a slot or hashing: hundreds in a wide fan-out.
    setMaxListeners(0, this.stopping.signal, this.canceling.signal);
    const rows = new Map(ws.store.runs.stepStates(runId).map((r) => [r.name, r.id]));
    this.steps = plan.steps.map((p) => ({
      plan: p, id: rows.get(p.id)!, status: 'NotStarted', attempt: 0, launched: 0, deps: [], dependents: [],
      inputs: {}, outputs: {}, outputHashes: {},
    }));
    for (const s of this.steps) this.byId.set(s.plan.id, s);
    if (opts.restore) this.restoreSteps(opts.restore);
    for (const s of this.steps) {
      for (const d of s.plan.deps) {
        const up = this.byId.get(d)!;
        s.deps.push(up);
        up.dependents.push(s);
      }
    }
  }

  /** True while a Slurm job of the run is in flight (it would outlive this process). */
  get jobsInFlight(): boolean {
    return this.steps.some((s) => !isTerminal(s.status) && this.target(s).type === 'slurm' && (s.launched > 0 || !!s.adoptJob));
  }

  /**
   * Hands the run to another process (this one is shutting down): nothing new starts, local
   * processes are stopped (they cannot outlive their owner) and their steps fail, Slurm jobs run
   * on unfollowed, steps that started nothing go back to NotStarted; then the run is released
   * (unclaimed) for a `serve` or `millrace runner` to resume (run-claim.ts). run() resolves with
   * the run's status as it stays in the store.
   */
  detach(): void {
    if (this.phase !== 'running' || this.detaching || this.canceling.signal.aborted) return;
    this.detaching = true;
    this.markDetached();
    this.stopping.abort();
    for (const s of this.steps) (s.proc?.detach ?? s.proc?.terminate)?.call(s.proc);
  }

  /** Runs to the end; resolves with the run's final status once it is committed. */
  async run(): Promise<RunStatus> {
    if (this.phase !== 'new') throw new Error(`run ${this.runId} is already being driven`);
    this.phase = 'running';
    if (this.steps.some((s) => this.target(s).type === 'local')) prestartSpawnHelper();
    this.layout.prepareRun(this.plan);
    this.writer.commit([[this.runId, this.opts.restore ? { status: 'Running' } : { status: 'Running', started_at: Date.now() }]]);
    this.emit({ type: 'run', runId: this.runId, status: 'Running' });
    const stopWatch = startRunWatch({
      cancelRequested: () => this.ws.store.runs.cancelRequested([this.runId]).length > 0,
      onCancel: () => this.cancel(),
      onTick: () => {
        for (const s of this.steps) if (s.status === 'Running') s.metrics?.ingest(false);
        if (this.writer.failure) this.writer.tryFlush();
        else this.flushHashes();
      },
    });
    try {
      if (this.opts.restore) this.resume();
      else for (const s of this.steps) if (!s.deps.length) this.begin(s);
      this.checkSettled();
      await Promise.race([this.settled, this.drained()]);
      // Every step is terminal; wait until each driver has also released its lease.
      await Promise.all(this.tasks);
    } finally {
      stopWatch();
    }
    return this.detaching ? this.release() : this.finish();
  }

  /** Cancel: no step starts any more, running process trees get SIGTERM, then SIGKILL. */
  cancel(): void {
    if (this.phase === 'ended' || this.canceling.signal.aborted) return;
    try {
      // Persisted first: if this process dies while stopping, recovery records the run Canceled.
      this.ws.store.runs.requestCancel(this.runId);
    } catch {
      /* the store refuses writes; the run still stops */
    }
    this.canceling.abort();
    this.stopping.abort();
    for (const s of this.steps) {
      if (s.status === 'NotStarted') this.fire(s, 'skip', { ended_at: Date.now(), error: 'canceled' });
      s.proc?.terminate();
    }
  }

  // ---- the state driver ----

  /** The one place a step's status changes. */
  private fire(s: StepRun, event: StepEvent, patch: RunPatch = {}): void {
    let to: RunStatus;
    let launches: boolean;
    try {
      ({ to, launches = false } = transition(s.status, event));
    } catch (e) {
      if (strictStates()) throw e;
      process.stderr.write(`millrace: internal: step '${s.plan.id}' of run ${this.runId}: ${message(e)} (ignored)\n`);
      return;
    }
    s.status = to;
    if (patch.error) s.error = patch.error;
    this.writer.write(s.id, { ...patch, status: to });
    this.emit({
      type: 'step', runId: this.runId, stepRunId: s.id, step: s.plan.id, status: to,
      reusedFrom: patch.reused_from ?? undefined, error: patch.error ?? undefined, attempt: s.attempt || undefined, job: s.job,
    });
    if (launches) this.launch(s);
    if (isTerminal(to)) this.settle(s);
  }

  /** NotStarted -> Preparing, synchronously (a second begin of one step is an illegal transition). */
  private begin(s: StepRun): void {
    if (!s.deps.every((d) => d.status === 'Completed')) {
      throw new IllegalTransition(`step '${s.plan.id}' would start before its upstream steps completed`);
    }
    this.fire(s, 'ready');
    this.tasks.push(this.drive(s).catch((e) => this.internalError(s, e)));
  }

  /** After a step's terminal transition: start what it unblocked, skip what it made impossible. */
  private settle(s: StepRun): void {
    if (s.status === 'Completed') {
      if (!this.stopping.signal.aborted) {
        for (const d of s.dependents) if (d.status === 'NotStarted' && d.deps.every((x) => x.status === 'Completed')) this.begin(d);
      }
    } else {
      if (s.status === 'Failed' && !this.plan.continueOnStepFailure && !this.stopping.signal.aborted) {
        this.firstFailure = s;
        this.stopping.abort();
        for (const x of this.steps) if (x.status === 'NotStarted') this.skip(x);
      }
      for (const d of s.dependents) if (d.status === 'NotStarted') this.skip(d, `not run: upstream step '${s.plan.id}' did not complete`);
    }
    this.checkSettled();
  }

  private skip(s: StepRun, why?: string): void {
    // A detached run's next owner starts these steps again.
    if (this.detaching) return void (s.status !== 'NotStarted' && this.fire(s, 'reset', { attempt: 0, started_at: null, reuse_key: null }));
    const error = this.canceling.signal.aborted
      ? (this.abortedWith ?? 'canceled')
      : this.firstFailure
        ? `not run: step '${this.firstFailure.plan.id}' failed`
        : (why ?? 'not run');
    this.fire(s, 'skip', { ended_at: Date.now(), error });
  }

  private checkSettled(): void {
    if (this.steps.every((s) => isTerminal(s.status))) this.markSettled();
  }

  /** One step from Preparing to its end. */
  private async drive(s: StepRun): Promise<void> {
    let key: string;
    let parts: string;
    const misses: ReuseMiss[] = [];
    try {
      ({ key, parts } = await this.prepare(s));
      if (this.stopping.signal.aborted) return this.skip(s);
      if (s.plan.allowReuse && !this.opts.regenerateOutputs) {
        const hit = await findReusable(this.ws.store.runs, this.hasher, key, this.runId, this.stopping.signal, misses);
        if (this.stopping.signal.aborted) return this.skip(s);
        if (hit) {
          s.outputs = hit.outputs;
          s.outputHashes = hit.outputHashes;
          const now = Date.now();
          this.fire(s, 'reused', {
            started_at: now, ended_at: now, reuse_key: key, reuse_parts: parts, reused_from: hit.source,
            outputs: JSON.stringify(hit.outputs), output_hashes: JSON.stringify(hit.outputHashes), exit_code: hit.exitCode,
          });
          return this.registerOutputs(s);
        }
      }
    } catch (e) {
      if (this.stopping.signal.aborted) return this.skip(s);
      return this.fire(s, 'prepareFailed', { ended_at: Date.now(), error: `could not prepare step: ${message(e)}` });
    }
    this.fire(s, 'keyed', { reuse_key: key, reuse_parts: parts, ...(misses.length ? { reuse_miss: JSON.stringify(misses) } : {}) });
    let lease: Lease;
    try {
      const target = this.target(s);
      lease = await this.pool(s.plan.compute).acquire(this.stopping.signal, target.type === 'local' ? resourceRequest(s.plan.resources ?? undefined) : undefined);
    } catch (e) {
      if (e instanceof TooLarge) return this.fire(s, 'setupFailed', { ended_at: Date.now(), error: `step asks for more than compute target '${s.plan.compute}' has` });
      return this.skip(s);
    }
    s.lease = lease;
    try {
      await this.execute(s);
    } finally {
      s.lease = undefined;
      lease.release();
    }
  }

  /** Code and input hashes, then the reuse key (DESIGN.md section 4). */
  private async prepare(s: StepRun): Promise<{ key: string; parts: string }> {
    const p = s.plan;
    s.inputs = this.inputsOf(s);
    const inputHashes: Record<string, string> = {};
    for (const [name, inp] of Object.entries(p.inputs)) {
      if (inp.kind === 'step') {
        const up = this.byId.get(inp.step)!;
        // Read as a table or a dataset id, the same folder is other work: the key says how.
        inputHashes[name] = inp.mode === 'direct' || inp.as ? `${inp.as ?? 'file'}:${inp.mode}:${up.outputHashes[inp.output]}` : up.outputHashes[inp.output];
      } else {
        inputHashes[name] = await pathInputIdentity(inp, this.hasher, async (path) => (await this.hashOnce(path)).hash, this.stopping.signal);
      }
      this.stopping.signal.throwIfAborted();
    }
    // The code is its snapshot, taken at submit (AZUREML.md section 10.4d).
    return reuseKeyWithParts(p, { codeHash: p.snapshot ?? '', inputHashes });
  }

  /** With a slot held: folders, attempts (retries), then the results. A resumed step follows its job instead. */
  private async execute(s: StepRun): Promise<void> {
    const p = s.plan;
    const slurm = this.target(s).type === 'slurm';
    let exit: AttemptExit;
    if (s.adoptJob) {
      exit = await this.follow(s, s.adoptJob);
    } else {
      if (this.stopping.signal.aborted) return this.skip(s);
      try {
        s.outputs = this.layout.prepareStep(p, s.id);
        if (p.snapshot) this.layout.writeSnapshot(p);
        // A fresh working copy of the code: what the step writes there never reaches the user's folder.
        makeWorkingCopy(this.ws.dir, p.snapshot, this.layout.workingCopy(p.id));
        materializeInputs(p.inputs, s.inputs, this.layout.workingCopy(p.id));
      } catch (e) {
        return this.fire(s, 'setupFailed', { ended_at: Date.now(), error: `could not prepare the step's folders: ${message(e)}` });
      }
      exit = await this.attempt(s, slurm ? 'submit' : 'start');
    }
    while (!succeeded(exit) && !exit.canceled && !exit.detached && !this.detaching && !this.canceling.signal.aborted && s.status !== 'Finalizing' && s.attempt <= p.retries) {
      this.layout.note(p.id, `attempt ${s.attempt} failed: ${describeExit(exit, p.timeoutMs)}; retrying`);
      exit = await this.attempt(s, slurm ? 'resubmit' : 'retry');
    }
    if (exit.detached) return; // the job goes on; the row stays as it is for the next owner
    if (this.detaching && !slurm && !succeeded(exit)) {
      return this.fire(s, 'ownerLost', { ended_at: Date.now(), exit_code: exit.exitCode, pid: null, error: 'stopped: the millrace process driving the run shut down' });
    }
    const canceled = () => this.canceling.signal.aborted && !this.abortedWith;
    if (canceled() || (exit.canceled && s.status !== 'Finalizing')) {
      this.ingestFinal(s);
      return this.fire(s, 'cancel', { ended_at: Date.now(), exit_code: exit.exitCode, pid: null, error: canceled() ? 'canceled' : (exit.failure ?? 'canceled') });
    }
    if (s.status !== 'Finalizing') this.fire(s, 'exited', { exit_code: exit.exitCode, pid: null });
    // A run the store cannot record fails; its running steps with it.
    let error = this.abortedWith ?? (succeeded(exit) ? undefined : describeExit(exit, p.timeoutMs));
    try {
      collectArtifacts(this.layout.workingCopy(p.id), this.layout.stepDir(p.id), (m) => this.layout.note(p.id, m), this.ws.config.keepWorkingCopies);
    } catch (e) {
      error ??= `could not collect the step's outputs/ and logs/: ${message(e)}`;
    }
    try {
      const status = s.metrics?.ingest(true);
      // run.fail(): the step ends Failed with that error even when its process exits 0.
      if (status?.failed) error ??= status.failed;
      if (!error) {
        // The hashes' cache rows are written with the next watch tick or at the run's end, not
        // here: a transaction per step on the way to the next one costs more than the cache saves.
        for (const [name, folder] of Object.entries(s.outputs)) s.outputHashes[name] = (await this.hasher.hashPath(folder, undefined, this.canceling.signal)).hash;
      }
    } catch (e) {
      if (isStoreFull(e)) this.storeRefused(e as Error);
      error ??= this.abortedWith ?? `could not record the step's results: ${message(e)}`;
    }
    if (canceled()) return this.fire(s, 'cancel', { ended_at: Date.now(), error: 'canceled' });
    error ??= this.abortedWith;
    if (error) this.fire(s, 'failed', { ended_at: Date.now(), error });
    else {
      this.fire(s, 'succeeded', { ended_at: Date.now(), output_hashes: JSON.stringify(s.outputHashes) });
      this.registerOutputs(s);
    }
  }

  /** Outputs with `register_as` become dataset versions once their step ended Completed (reused too). */
  private registerOutputs(s: StepRun): void {
    for (const [name, out] of Object.entries(s.plan.outputs)) {
      if (!out.registerAs) continue;
      const folder = s.outputs[name];
      try {
        const root = this.ws.datastorePath(out.datastore);
        registerDataset(this.ws, {
          name: out.registerAs.name, datastore: out.datastore, path: relative(root, folder).split(sep).join('/'),
          kind: out.registerAs.kind, description: out.registerAs.description ?? null,
          tags: out.registerAs.tags, format: out.registerAs.kind === 'tabular' ? (out.registerAs.format ?? null) : null,
        });
      } catch (e) {
        this.layout.note(s.plan.id, `could not register output '${name}' as dataset '${out.registerAs.name}': ${message(e)}`);
      }
    }
  }

  /** What the step's inputs are for this run: upstream folders resolved, the step's own input folders named. */
  private inputsOf(s: StepRun): Record<string, InputEntry> {
    return inputEntries(s.plan.inputs, (step, output) => this.byId.get(step)?.outputs[output], this.layout.stepDir(s.plan.id));
  }

  /**
   * One attempt: the transition that launches it (into Running locally, Queued -> Queued on
   * Slurm) starts its process or submits its job; resolves when the tree, or the job, is gone.
   */
  private async attempt(s: StepRun, event: 'start' | 'retry' | 'submit' | 'resubmit'): Promise<AttemptExit> {
    s.attempt++;
    this.fire(s, event, { attempt: s.attempt, started_at: s.attempt === 1 ? Date.now() : undefined, outputs: JSON.stringify(s.outputs) });
    return this.await(s);
  }

  /** Re-attaches to the Slurm job of a resumed step: nothing new starts. */
  private follow(s: StepRun, jobId: string): Promise<AttemptExit> {
    s.adoptJob = undefined;
    s.metrics ??= new StepMetrics(this.ws.store, this.layout, s.plan.id, s.id);
    this.layout.note(s.plan.id, `${new Date().toISOString()} run resumed by pid ${process.pid}: following Slurm job ${jobId}`);
    s.job = { id: jobId, node: null, state: null }; // the row keeps what was last seen until the next poll
    s.proc = startAttempt(this.launchContext(s), jobId);
    s.exit = s.proc.done;
    return this.await(s);
  }

  private async await(s: StepRun): Promise<AttemptExit> {
    const proc = s.proc;
    if (proc) {
      const started = await proc.started;
      // Committed at once, not coalesced: another process must be able to reach the tree or the job.
      if (started && s.proc === proc) {
        if (!('jobId' in started)) this.writer.write(s.id, { pid: started.pid, pid_start: started.pidStart ?? null });
        else if (s.job?.id !== started.jobId) {
          s.job = { id: started.jobId, node: null, state: 'PENDING' };
          this.writer.write(s.id, { job_id: started.jobId, job_state: 'PENDING', job_node: null });
        }
        this.writer.tryFlush();
      }
      if (this.canceling.signal.aborted) proc.terminate();
    }
    const exit = await s.exit!;
    s.proc = undefined;
    return exit;
  }

  /** Starts the current attempt's process or job; only called by fire() on a launching transition. */
  private launch(s: StepRun): void {
    if (s.launched >= s.attempt) throw new IllegalTransition(`attempt ${s.attempt} of step '${s.plan.id}' started twice`);
    s.launched = s.attempt;
    s.metrics ??= new StepMetrics(this.ws.store, this.layout, s.plan.id, s.id);
    s.proc = startAttempt(this.launchContext(s));
    s.exit = s.proc.done;
  }

  private launchContext(s: StepRun) {
    return {
      plan: s.plan, target: this.target(s), stepRunId: s.id, runId: this.runId, experiment: this.opts.experiment, workspaceDir: this.ws.dir,
      layout: this.layout, baseEnv: this.baseEnv, inputs: s.inputs, outputs: s.outputs, attempt: s.attempt, gpus: s.lease?.gpus ?? [],
      killGraceMs: this.ws.config.killGraceMs, onJobState: (j: JobState) => this.onJobState(s, j),
    };
  }

  /** A Slurm job's state or node changed: Queued while it is pending, Running while it runs. */
  private onJobState(s: StepRun, j: JobState): void {
    if (isTerminal(s.status)) return;
    s.job = { id: j.jobId, node: j.node, state: j.state };
    const patch: RunPatch = { job_id: j.jobId, job_state: j.state, job_node: j.node };
    const phase = phaseOf(j.state);
    if (phase === 'running' && s.status === 'Queued') this.fire(s, 'jobRunning', patch);
    else if (phase === 'queued' && s.status === 'Running') this.fire(s, 'jobPending', patch);
    else this.writer.write(s.id, patch);
  }

  private ingestFinal(s: StepRun): void {
    try {
      s.metrics?.ingest(true);
    } catch {
      /* the run ends anyway */
    }
  }

  // ---- around the steps ----

  private hashOnce(path: string, filter?: (rel: string, isDir: boolean) => boolean): Promise<PathHash> {
    const key = `${filter ? 'code' : 'data'}\0${path}`;
    let h = this.pathHashes.get(key);
    if (!h) this.pathHashes.set(key, (h = this.hasher.hashPath(path, filter, this.stopping.signal)));
    return h;
  }

  private flushHashes(): void {
    try {
      this.hasher.flush();
    } catch {
      /* cached hashes are an optimisation; a store that refuses writes stops the run elsewhere */
    }
  }

  private target(s: StepRun) {
    return this.ws.config.compute[s.plan.compute] ?? { type: 'local' as const, maxConcurrency: 1, cpus: 1, memoryMb: 0, gpus: [] };
  }

  private pool(compute: string): ComputePool {
    let p = this.pools.get(compute);
    if (!p) {
      const t = this.ws.config.compute[compute];
      const cap: PoolCapacity = !t ? { slots: 1 } : t.type === 'local' ? { slots: t.maxConcurrency, cpus: t.cpus, memoryMb: t.memoryMb, gpus: t.gpus } : { slots: t.maxConcurrency };
      p = new ComputePool(`${this.ws.dir}\0${compute}`, cap);
      this.pools.set(compute, p);
    }
    return p;
  }

  // ---- resuming a run another process started (resume.ts) ----

  /** Statuses, outputs and attempts as the rows hold them; input paths follow from the upstream outputs. */
  private restoreSteps(restore: Map<string, RestoredStep>): void {
    for (const s of this.steps) {
      const r = restore.get(s.plan.id);
      if (!r) continue;
      Object.assign(s, { status: r.status, attempt: r.attempt, launched: r.attempt, outputs: r.outputs, outputHashes: r.outputHashes, error: r.error ?? undefined });
      if (r.jobId && !isTerminal(r.status) && r.status !== 'NotStarted') s.adoptJob = r.jobId;
    }
    for (const s of this.steps) {
      if (!s.adoptJob) continue;
      s.inputs = this.inputsOf(s);
    }
  }

  /** Picks the run up where its rows say it is: what ended stays, jobs in flight are followed, the rest runs. */
  private resume(): void {
    for (const s of this.steps) if (isTerminal(s.status)) this.settle(s);
    for (const s of this.steps) {
      if (s.adoptJob) {
        const lease = this.pool(s.plan.compute).adopt();
        this.tasks.push(this.execute(s).catch((e) => this.internalError(s, e)).finally(() => lease.release()));
      } else if (s.status === 'NotStarted' && !this.stopping.signal.aborted && s.deps.every((d) => d.status === 'Completed')) this.begin(s);
    }
  }

  private emit(e: ApiEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch {
      /* a listener's failure is its own */
    }
  }

  /** The store refused a write (disk full, I/O error): the run cannot be recorded faithfully, so it stops. */
  private storeRefused(e: Error): void {
    if (this.abortedWith) return;
    this.abortedWith = storeProblem(e, this.ws.dir);
    this.opts.onProblem?.(`${this.abortedWith}; stopping the run`);
    this.cancel();
  }

  /** A bug in the engine: the step is failed rather than left active; under test it also throws. */
  private internalError(s: StepRun, e: unknown): void {
    process.stderr.write(`millrace: internal error driving step '${s.plan.id}' of run ${this.runId}: ${(e as Error)?.stack ?? e}\n`);
    s.proc?.terminate();
    if (!isTerminal(s.status)) {
      s.status = nextStatus(s.status, 'internalError');
      this.writer.write(s.id, { status: s.status, ended_at: Date.now(), error: `internal error: ${message(e)}`, pid: null });
      this.settle(s);
    }
    if (strictStates()) throw e;
  }

  /** Resolves once detach() was called and every driver has stopped. */
  private async drained(): Promise<void> {
    await this.detached;
    for (let n = -1; n !== this.tasks.length; ) {
      n = this.tasks.length;
      await Promise.allSettled(this.tasks);
    }
  }

  /** The end of a detached run here: what is pending is written, then the run waits for its next owner. */
  private async release(): Promise<RunStatus> {
    const status = this.steps.every((s) => isTerminal(s.status)) ? undefined : ('Running' as const);
    if (!status) return this.finish(); // everything ended meanwhile: end it here after all
    this.writer.close();
    this.phase = 'ended';
    this.ws.store.claims.release(this.runId, selfIdentity());
    this.opts.onProblem?.(`run ${this.runId} left to the next millrace process (its Slurm jobs go on)`);
    return status;
  }

  private async finish(): Promise<RunStatus> {
    const failed = this.steps.find((s) => s.status === 'Failed');
    const canceled = this.canceling.signal.aborted && !this.abortedWith;
    const status: RunStatus = canceled ? 'Canceled' : this.steps.every((s) => s.status === 'Completed') ? 'Completed' : 'Failed';
    const error = canceled ? 'canceled' : (this.abortedWith ?? (failed ? `step '${failed.plan.id}' failed: ${failed.error}` : status === 'Failed' ? 'not every step completed' : null));
    this.flushHashes();
    const final: [string, RunPatch][] = [[this.runId, { status, ended_at: Date.now(), error }]];
    // The end is reported only once it is committed; a refusing store is retried until it accepts.
    for (let wait = 100, told = false; ; wait = Math.min(wait * 2, 2000)) {
      try {
        this.writer.close(final);
        break;
      } catch (e) {
        if (!told) this.opts.onProblem?.(`${storeProblem(e as Error, this.ws.dir)}; the run's end is recorded once the store accepts writes again`);
        told = true;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    this.phase = 'ended';
    this.emit({ type: 'run', runId: this.runId, status, error });
    return status;
  }
}
