// Runs submitted to a long-lived process (the server, the desktop app). Submitting validates and
// records the run on the caller's thread (when submit() returns, the run is in the store); the
// runs are then driven by PipelineRunners on a worker thread of this process, so that starting
// step processes (a fork each, milliseconds of blocked thread) never stalls the API's event loop.
// A FIFO holds accepted runs beyond `maxParallelRuns`; every status change is fanned out to
// subscribers; dispose() ends every run it holds as Canceled.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isTerminal, type RunStatus } from '../../shared/constants.js';
import { UserError } from '../../shared/errors.js';
import type { ApiEvent } from '../../shared/api/events.js';
import { packageRoot } from '../package-root.js';
import type { Workspace } from '../workspace/workspace.js';
import type { ResumeRun, StartRun, ToManager, ToWorker } from './run-manager-worker.js';
import { isSameProcessAlive, selfIdentity } from './process-identity.js';
import { killRunProcesses, recoverOrphanedRuns } from './recovery.js';
import { loadPipeline } from '../pipelines/load.js';
import { recordRun, type SubmitOptions } from './submit.js';
import { cancelElsewhere, type CancelOutcome, type RunDriver, type RunListener } from './run-driver.js';
export type { CancelOutcome, RunListener } from './run-driver.js';
import { preflightSlurm } from '../compute/slurm/preflight.js';

export interface RunManagerOptions {
  /** Pipeline runs driven at once; later ones wait, NotStarted, in submit order. Default: CPU cores. */
  maxParallelRuns?: number;
}


/** The compiled worker: next to this file when running from dist/, else the build's (tests run the sources). */
function workerScript(): URL {
  const sibling = new URL('./run-manager-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = join(packageRoot(), 'dist', 'main', 'executor', 'run-manager-worker.js');
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error('the run executor is not built yet: run `npm run build`');
}

export class RunManager implements RunDriver {
  private readonly waiting: (StartRun | ResumeRun)[] = [];
  private readonly waitingIds = new Set<string>();
  /** Runs the worker drives (by id, for cancel and ownership). */
  private readonly live = new Set<string>();
  private readonly listeners = new Set<RunListener>();
  private readonly maxParallel: number;
  private worker?: Worker;
  private workerGone?: Promise<void>;
  private pumpScheduled = false;
  private closing = false;

  constructor(
    private readonly ws: Workspace,
    opts: RunManagerOptions = {},
  ) {
    this.maxParallel = Math.max(1, opts.maxParallelRuns ?? availableParallelism());
    this.ensureWorker();
    this.worker?.unref();
  }

  /**
   * Validates and records the run (synchronously: when this returns, the run is in the store) and
   * queues it. Bad input throws a UserError before anything is written.
   */
  submit(file: string, o: Omit<SubmitOptions, 'onEvent'>): { runId: string; experiment: string } {
    if (this.closing) throw new UserError('the server is shutting down; submit again once it is back', 'unavailable');
    // A Slurm controller is asked (sinfo, seconds when it is slow) before the write lock is taken.
    const pipeline = o.pipeline ?? loadPipeline(this.ws, file);
    preflightSlurm(this.ws.config.compute, Object.values(pipeline.spec.steps).map((st) => st.compute ?? pipeline.spec.defaults?.compute ?? 'local'));
    // One IMMEDIATE transaction around the reads (datasets, experiment) and the writes of the
    // submit: the worker writes over its own connection meanwhile. The worker drives the run.
    const { runId, plan, experiment } = this.ws.store.transaction(() => recordRun(this.ws, file, { ...o, pipeline }));
    this.waiting.push({ type: 'start', runId, plan, experiment, regenerateOutputs: !!o.regenerateOutputs });
    this.waitingIds.add(runId);
    this.emit({ type: 'run', runId, status: 'NotStarted' });
    this.schedulePump();
    return { runId, experiment };
  }

  /**
   * Drives a run this process has just claimed (run-claim.ts): it resumes from its rows — steps
   * that ended stay, Slurm jobs in flight are followed, the rest runs. Adopted runs go first.
   */
  adopt(runId: string): void {
    if (this.closing || this.owns(runId)) return;
    this.waiting.unshift({ type: 'resume', runId });
    this.waitingIds.add(runId);
    this.schedulePump();
  }

  /** True while this process holds the run (waiting or running). */
  owns(runId: string): boolean {
    return this.live.has(runId) || this.waitingIds.has(runId);
  }

  get counts(): { waiting: number; running: number } {
    return { waiting: this.waiting.length, running: this.live.size };
  }

  /** Cancel a run: ours at once; another process's through the cancel flag it polls (or here, when that process is gone). */
  cancel(runId: string): CancelOutcome {
    if (this.waitingIds.has(runId)) {
      const [w] = this.waiting.splice(this.waiting.findIndex((x) => x.runId === runId), 1);
      this.waitingIds.delete(runId);
      if (w.type === 'resume') {
        // An adopted run may have Slurm jobs in flight: recovery cancels them and ends the run.
        this.ws.store.runs.requestCancel(runId);
        this.ws.store.claims.release(runId, selfIdentity());
        recoverOrphanedRuns(this.ws.store, runId);
      } else this.endHere(runId, 'canceled before it started');
      return 'canceled';
    }
    if (this.live.has(runId)) {
      this.post({ type: 'cancel', runId });
      return 'canceled';
    }
    return cancelElsewhere(this.ws, runId);
  }

  subscribe(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Events about runs this process does not drive (e.g. found by polling the store). */
  announce(e: ApiEvent): void {
    this.emit(e);
  }

  /** Stop accepting runs, end waiting ones Canceled, cancel running ones and wait until they have ended. */
  async dispose(): Promise<void> {
    this.closing = true;
    this.waitingIds.clear();
    for (const w of this.waiting.splice(0)) {
      // An adopted run that has not been resumed yet is left for the next owner, as it was found.
      if (w.type === 'resume') this.ws.store.claims.release(w.runId, selfIdentity());
      else this.endHere(w.runId, 'canceled: the server shut down before it started');
    }
    if (this.worker) {
      const worker = this.worker;
      this.post({ type: 'dispose' });
      // The runners wait for their process groups (SIGTERM, then SIGKILL after the grace period).
      const limit = this.ws.config.killGraceMs + 15_000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.workerGone, new Promise<void>((r) => (timer = setTimeout(r, limit)))]);
      clearTimeout(timer);
      await worker.terminate();
    }
    // Anything the worker could not end is ended here: no run stays Running.
    for (const runId of [...this.live]) this.endHere(runId, 'canceled: the server shut down');
    this.listeners.clear();
  }

  private emit(e: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a subscriber's failure is its own; the run goes on */
      }
    }
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.closing && this.live.size < this.maxParallel && this.waiting.length) {
      const start = this.waiting.shift()!;
      this.waitingIds.delete(start.runId);
      this.live.add(start.runId);
      this.post(start);
    }
    // An idle worker must not keep the process alive.
    if (this.live.size) this.worker?.ref();
    else this.worker?.unref();
  }

  private post(m: ToWorker): void {
    this.ensureWorker().postMessage(m);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    if (this.closing) throw new Error('the run manager is disposed');
    const worker = new Worker(workerScript(), { workerData: { dir: this.ws.dir } });
    // Checkpoints (copying the WAL into the database file, with an fsync) move to the worker:
    // on this thread's connection one could stall the API for tens of milliseconds.
    this.ws.store.autoCheckpoint(0);
    this.worker = worker;
    worker.on('message', (m: ToManager) => this.onMessage(m));
    worker.on('error', (e) => {
      process.stderr.write(`millrace: the run executor failed: ${e.stack ?? e}\n`);
    });
    this.workerGone = new Promise<void>((resolve) =>
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
        if (this.ws.store.isOpen) this.ws.store.autoCheckpoint(1000);
        // Runs it was driving cannot go on: record that, so none stays Running.
        for (const runId of [...this.live]) {
          this.endHere(runId, this.closing ? 'canceled: the server shut down' : 'the run executor stopped unexpectedly', this.closing ? 'Canceled' : 'Failed');
        }
        resolve();
      }),
    );
    return worker;
  }

  private onMessage(m: ToManager): void {
    switch (m.type) {
      case 'event':
        this.emit(m.event);
        break;
      case 'ended':
        this.release(m.runId);
        break;
      case 'failed':
        this.endHere(m.runId, `the run could not be driven: ${m.message}`, 'Failed');
        break;
      case 'disposed':
        break;
    }
  }

  private release(runId: string): void {
    this.live.delete(runId);
    this.schedulePump();
  }

  /** End a run here (it never started, or its runner is gone): unfinished steps and the run get `status`. */
  private endHere(runId: string, error: string, status: RunStatus = 'Canceled'): void {
    const now = Date.now();
    const row = this.ws.store.runs.state(runId);
    if (row && !isTerminal(row.status)) {
      // Its runner is gone: whatever its steps left running goes too, before the end is recorded.
      killRunProcesses(this.ws.store, [runId]);
      const steps = this.ws.store.runs.stepStates(runId).filter((s) => !isTerminal(s.status));
      this.ws.store.runs.updateMany([
        ...steps.map((s): [string, { status: RunStatus; ended_at: number; pid: null }] => [s.id, { status, ended_at: now, pid: null }]),
        [runId, { status, ended_at: now, error }],
      ]);
      for (const s of steps) this.emit({ type: 'step', runId, stepRunId: s.id, step: s.name, status });
      this.emit({ type: 'run', runId, status, error });
    }
    if (this.live.has(runId)) this.release(runId);
  }
}
