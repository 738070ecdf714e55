// The model registry (AZUREML.md section 10.4h).
import type { HandlerMap } from '../../../shared/api/contract.js';
import { deleteModel, modelFile, modelRecord, registerModel } from '../../models/registry.js';
import { isLocal, type CallContext } from '../context.js';

export const modelHandlers = {
  'models/register': (a, { ws, caller }) => registerModel(ws, a, isLocal(caller)),

  'models/list': (a, { ws }) => {
    const runId = a.runId === undefined ? undefined : ws.store.runs.resolveId(a.runId, { steps: true });
    return ws.store.models.list({ name: a.name, runId, latest: a.latest }).map((m) => modelRecord(ws, m));
  },

  'models/get': (a, { ws }) => modelRecord(ws, ws.store.models.get(a.name, a.version)),

  'models/update': (a, { ws }) => modelRecord(ws, ws.store.models.update(a.name, a.version, a)),

  'models/delete': (a, { ws }) => deleteModel(ws, a.name, a.version),

  'models/file': (a, { ws }) => modelFile(ws, a.name, a.version, a.path),
} satisfies Partial<HandlerMap<CallContext>>;
