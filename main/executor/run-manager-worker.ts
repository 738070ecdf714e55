// The run manager's worker thread: drives the runs the manager hands it with PipelineRunners over
// its own connection to the workspace's store, keeps the live runners by id for cancel, and
// reports every status change back.
import { parentPort, workerData } from 'node:worker_threads';
import type { RunStatus } from '../../shared/constants.js';
import type { ApiEvent } from '../../shared/api/events.js';
import { Workspace } from '../workspace/workspace.js';
import type { RunPlan } from './plan.js';
import { resumeRunner } from './resume.js';
import { PipelineRunner } from './runner.js';

export interface StartRun {
  type: 'start';
  runId: string;
  plan: RunPlan;
  experiment: string;
  regenerateOutputs: boolean;
}
/** A run this process has just claimed (run-claim.ts): resumed from its rows. */
export interface ResumeRun {
  type: 'resume';
  runId: string;
}
export type ToWorker = StartRun | ResumeRun | { type: 'cancel'; runId: string } | { type: 'dispose' };
export type ToManager =
  | { type: 'event'; event: ApiEvent }
  | { type: 'ended'; runId: string; status: RunStatus }
  | { type: 'failed'; runId: string; message: string }
  | { type: 'disposed' };

/** How often this thread moves the WAL into the database file (see RunManager's constructor). */
const CHECKPOINT_EVERY_MS = 1000;

function serve(port: NonNullable<typeof parentPort>, dir: string): void {
  const ws = Workspace.open(dir);
  const checkpoints = setInterval(() => {
    try {
      ws.store.checkpoint();
    } catch {
      /* busy: next time */
    }
  }, CHECKPOINT_EVERY_MS);
  const runners = new Map<string, { runner: PipelineRunner; done: Promise<unknown> }>();
  const post = (m: ToManager) => port.postMessage(m);
  let disposing = false;

  const start = (m: StartRun | ResumeRun) => {
    const onEvent = (event: ApiEvent) => post({ type: 'event', event });
    let runner: PipelineRunner;
    let running: Promise<RunStatus>;
    try {
      runner = m.type === 'resume'
        ? resumeRunner(ws, m.runId, { onEvent })
        : new PipelineRunner(ws, m.runId, m.plan, { experiment: m.experiment, regenerateOutputs: m.regenerateOutputs, onEvent });
      running = runner.run();
    } catch (e) {
      post({ type: 'failed', runId: m.runId, message: (e as Error).message });
      return;
    }
    const done = running.then(
      (status) => post({ type: 'ended', runId: m.runId, status }),
      (e: unknown) => post({ type: 'failed', runId: m.runId, message: (e as Error).message }),
    ).finally(() => runners.delete(m.runId));
    runners.set(m.runId, { runner, done });
    if (disposing) runner!.cancel();
  };

  port.on('message', (m: ToWorker) => {
    if (m.type === 'start' || m.type === 'resume') start(m);
    else if (m.type === 'cancel') runners.get(m.runId)?.runner.cancel();
    else if (m.type === 'dispose') {
      disposing = true;
      const all = [...runners.values()];
      // A run with Slurm jobs in flight outlives the process: it is handed on, not canceled.
      for (const r of all) {
        if (r.runner.jobsInFlight) r.runner.detach();
        else r.runner.cancel();
      }
      void Promise.allSettled(all.map((r) => r.done)).then(() => {
        clearInterval(checkpoints);
        ws.close();
        post({ type: 'disposed' });
        port.close();
      });
    }
  });
}

if (parentPort) serve(parentPort, (workerData as { dir: string }).dir);
