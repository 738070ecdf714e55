// The workspace: server info, pipeline files (validated), datastores, datasets, tokens.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerMap } from '../../../shared/api/contract.js';
import { millraceVersion, packageRoot } from '../../package-root.js';
import { isLocal, type CallContext } from '../context.js';
import { computeRecord } from '../../compute/targets.js';
import { registerDataset } from '../../datasets/register.js';
import { datastoreFile, listFolder, previewFile } from '../../datastores/browse.js';
import { ensureComputePool, ensureDatastore } from '../../workspace/config-edit.js';
import { servedByOwner } from '../../executor/run-claim.js';
import { describePipelineFile, listPipelineFiles, resolvePipelineFile } from '../../pipelines/pipeline-files.js';


export const workspaceHandlers = {
  'server/info': (_a, { ws, baseUrl }) => ({ name: 'millrace' as const, version: millraceVersion(), workspace: ws.dir, url: baseUrl, served: servedByOwner(ws) }),

  'pipelines/list': (_a, { ws }) =>
    listPipelineFiles(ws).map((f) => {
      const { text: _text, ...record } = describePipelineFile(ws, f);
      return record;
    }),

  'pipelines/get': (a, { ws, caller }) => describePipelineFile(ws, resolvePipelineFile(ws, a.file, isLocal(caller))),

  'datastores/list': (_a, { ws }) =>
    Object.entries(ws.config.datastores).map(([name, d]) => ({ name, path: d.path, exists: existsSync(d.path) })),

  'datastores/register': (a, { ws }) => ensureDatastore(ws, a.name),

  'compute/list': (_a, { ws }) => Object.entries(ws.config.compute).map(([name, c]) => computeRecord(name, c)),

  'compute/ensure': (a, { ws }) => ensureComputePool(ws, a.name, a.maxNodes),

  'datastores/browse': (a, { ws }) => listFolder(ws, a.name, a.path),

  'datastores/preview': (a, { ws }) => previewFile(ws, a.name, a.path, a.lines),

  'datastores/file': (a, { ws }) => datastoreFile(ws, a.name, a.path),

  'datasets/list': (_a, { ws }) => ws.store.datasets.list(),

  'datasets/register': (a, { ws }) => {
    const { record, created } = registerDataset(ws, a);
    return { ...record, created };
  },

  'datasets/get': (a, { ws }) => ws.store.datasets.get(a.name, a.version),

  'datasets/get-by-id': (a, { ws }) => ws.store.datasets.getById(a.id),

  'datasets/set-tags': (a, { ws }) => ws.store.datasets.setTags(a.name, a.version, a.tags),

  'tokens/list': (a, { ws }) => ws.store.tokens.list(a.includeRevoked),

  'tokens/create': (a, { ws }) => ws.store.tokens.create(a.name),

  'tokens/revoke': (a, { ws }) => ws.store.tokens.revoke(a.name),
} satisfies Partial<HandlerMap<CallContext>>;
