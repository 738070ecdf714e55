// In-process: time from the step's process exit (Finalizing) to its 100,000 metric points being stored.
import { performance } from 'node:perf_hooks';
const ws = process.argv[2];
const { Workspace } = await import('../dist/main/workspace/workspace.js');
const { submitRun } = await import('../dist/main/executor/submit.js');
const w = Workspace.open(ws);
let exitAt = 0;
let storedAt = 0;
const { runId, runner } = submitRun(w, `${ws}/pipelines/metrics.yml`, {
  trigger: { kind: 'cli' },
  onEvent: (e) => {
    if (e.type === 'step' && e.status === 'Finalizing') exitAt = performance.now();
    if (e.type === 'step' && e.status === 'Completed') storedAt = performance.now();
  },
});
const status = await runner.run();
const step = w.store.runs.stepRows(runId)[0];
const points = w.store.metrics.count(step.id);
process.stdout.write(JSON.stringify({ status, points, storedWithinMs: storedAt - exitAt }));
w.close();
