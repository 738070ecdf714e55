// Published pipelines and pipeline endpoints.
import type { HandlerMap } from '../../../shared/api/contract.js';
import { publishPipeline } from '../../publish/publish.js';
import { endpointRecord, publishedRecord } from '../../publish/records.js';
import { submitPublished } from '../../publish/submit-published.js';
import { isLocal, triggerFor, type CallContext } from '../context.js';
import { resolvePipelineFile } from '../../pipelines/pipeline-files.js';

export const publishedHandlers = {
  'published/list': (a, { ws, baseUrl }) => ws.store.published.list(a).map((p) => publishedRecord(p, baseUrl)),

  'published/get': (a, { ws, baseUrl }) => publishedRecord(ws.store.published.get(a.id), baseUrl),

  'published/create': (a, { ws, baseUrl, caller }) =>
    publishedRecord(publishPipeline(ws, resolvePipelineFile(ws, a.file, isLocal(caller)), { name: a.name, version: a.version, description: a.description, endpoint: a.endpoint, makeDefault: a.makeDefault }), baseUrl),

  'published/disable': (a, { ws, baseUrl }) => publishedRecord(ws.store.published.setEnabled(a.id, false), baseUrl),

  'published/enable': (a, { ws, baseUrl }) => publishedRecord(ws.store.published.setEnabled(a.id, true), baseUrl),

  'published/submit': ({ id, ...req }, { ws, runs, caller, baseUrl }) =>
    submitPublished(ws, runs, { publishedId: id }, req, triggerFor(caller), baseUrl),

  'endpoints/list': (_a, { ws, baseUrl }) => ws.store.published.endpoints().map((e) => endpointRecord(e, baseUrl)),

  'endpoints/get': (a, { ws, baseUrl }) => endpointRecord(ws.store.published.endpoint(a.name), baseUrl),

  'endpoints/create': (a, { ws, baseUrl }) => endpointRecord(ws.store.published.createEndpoint(a.name, a.description ?? null, a.publishedPipelineId), baseUrl),

  'endpoints/add': (a, { ws, baseUrl }) => endpointRecord(ws.store.published.addToEndpoint(a.name, a.publishedPipelineId, a.setDefault), baseUrl),

  'endpoints/enable': (a, { ws, baseUrl }) => endpointRecord(ws.store.published.setEndpointEnabled(a.name, true), baseUrl),

  'endpoints/disable': (a, { ws, baseUrl }) => endpointRecord(ws.store.published.setEndpointEnabled(a.name, false), baseUrl),

  'endpoints/set-default': (a, { ws, baseUrl }) => endpointRecord(ws.store.published.setDefault(a.name, a.version), baseUrl),

  'endpoints/submit': ({ name, pipelineVersion, ...req }, { ws, runs, caller, baseUrl }) => {
    const ep = ws.store.published.endpoint(name);
    return submitPublished(ws, runs, { endpointId: ep.id, version: pipelineVersion }, req, triggerFor(caller), baseUrl);
  },
} satisfies Partial<HandlerMap<CallContext>>;
