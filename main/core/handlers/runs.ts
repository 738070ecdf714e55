// Experiments and runs: list, get, submit, cancel.
import type { HandlerMap } from '../../../shared/api/contract.js';
import { isLocal, triggerFor, type CallContext } from '../context.js';
import { resolvePipelineFile } from '../../pipelines/pipeline-files.js';
import { rerun } from '../../runs/rerun.js';
import { runPipeline } from '../../runs/run-pipeline.js';
import { getRun } from './lookup.js';

export const runHandlers = {
  'experiments/list': (_a, { ws }) => ws.store.runs.listExperiments(),

  'runs/list': (a, { ws }) => ws.store.runQueries.page(a),

  'runs/count': (a, { ws }) => ({ total: ws.store.runQueries.count(a) }),

  'runs/get': (a, { ws }) => getRun(ws, a.id),

  'runs/steps': (a, { ws }) => getRun(ws, a.id).steps,

  'runs/submit': (a, { ws, runs, caller }) => {
    const { runId } = runs.submit(resolvePipelineFile(ws, a.file, isLocal(caller)), {
      experiment: a.experiment,
      parameters: a.parameters,
      regenerateOutputs: a.regenerateOutputs,
      description: a.description ?? null,
      tags: a.tags,
      trigger: triggerFor(caller),
    });
    return ws.store.runs.get(runId);
  },

  'runs/tag': (a, { ws }) => {
    const id = ws.store.runs.resolveId(a.id, { steps: true });
    return { id, tags: ws.store.runs.mergeTags(id, a.tags, a.remove) };
  },

  'runs/update': ({ id, ...info }, { ws }) => {
    const runId = ws.store.runs.resolveId(id);
    ws.store.runs.setInfo(runId, info);
    return ws.store.runs.get(runId);
  },

  'runs/rerun': ({ id, ...changes }, { ws, runs, caller, baseUrl }) => ws.store.runs.get(rerun(ws, runs, id, changes, triggerFor(caller), baseUrl)),

  'runs/pipeline': (a, { ws }) => runPipeline(ws, a.id),

  'runs/cancel': (a, { ws, runs }) => {
    const id = ws.store.runs.resolveId(a.id);
    runs.cancel(id);
    return ws.store.runs.get(id);
  },
} satisfies Partial<HandlerMap<CallContext>>;
