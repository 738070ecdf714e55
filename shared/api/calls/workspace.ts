// The workspace: server info, pipeline files, datastores, datasets, tokens.
import { z } from 'zod';
import { call } from '../define.js';
import type { ComputeTargetRecord, DatasetVersionRecord, DatastoreRecord, PipelineFileDetail, PipelineFileRecord, ServerInfo, TokenRecord } from '../records.js';
import { DATASET_KINDS } from '../../constants.js';
import { datasetName, description, objectName, oneOf, qbool, qint } from './fields.js';

export const workspaceCalls = {
  'server/info': call<ServerInfo>()({
    method: 'GET', path: '/info', args: z.strictObject({}),
    summary: 'which Millrace and which workspace answer (a cheap authenticated health check)',
  }),
  'pipelines/list': call<PipelineFileRecord[]>()({
    method: 'GET', path: '/pipelines', args: z.strictObject({}),
    summary: "pipeline files under the workspace's pipelines/ folder, each validated (errors with file:line:col)",
  }),
  'pipelines/get': call<PipelineFileDetail>()({
    method: 'GET', path: '/pipelines/file', args: z.strictObject({ file: z.string().min(1).max(4096) }),
    summary: 'one pipeline file with its text and validation errors',
  }),
  'datastores/list': call<DatastoreRecord[]>()({
    method: 'GET', path: '/datastores', args: z.strictObject({}),
    summary: 'datastores of millrace.yml',
  }),
  'compute/list': call<ComputeTargetRecord[]>()({
    method: 'GET', path: '/compute', args: z.strictObject({}),
    summary: 'compute targets of millrace.yml (local always exists)',
  }),
  'datasets/list': call<DatasetVersionRecord[]>()({
    method: 'GET', path: '/datasets', args: z.strictObject({}),
    summary: 'registered datasets, every version',
  }),
  'datasets/register': call<DatasetVersionRecord>()({
    method: 'POST', path: '/datasets',
    args: z.strictObject({
      name: datasetName,
      datastore: z.string().min(1),
      path: z.string().min(1).max(4096).describe('a file or folder on the datastore, relative to it'),
      kind: oneOf(DATASET_KINDS).default('file'),
      description: description.optional(),
    }),
    summary: 'register a dataset version: a new one unless the latest already points at the same place (then that one)',
  }),
  'datasets/get': call<DatasetVersionRecord>()({
    method: 'GET', path: '/datasets/:name', args: z.strictObject({ name: datasetName, version: qint(1, 1e9).optional() }),
    summary: 'one dataset version (default: the latest)',
  }),
  'tokens/list': call<TokenRecord[]>()({
    method: 'GET', path: '/tokens', args: z.strictObject({ includeRevoked: qbool.default(false) }),
    summary: 'API tokens (names and dates; the secrets are never stored)',
  }),
  'tokens/create': call<{ name: string; token: string }>()({
    method: 'POST', path: '/tokens', args: z.strictObject({ name: objectName('a token name') }),
    summary: 'create a token; the secret is in this answer only',
  }),
  'tokens/revoke': call<TokenRecord>()({
    method: 'POST', path: '/tokens/:name/revoke', args: z.strictObject({ name: z.string().min(1) }),
    summary: 'revoke a token: requests with it get 401 from then on',
  }),
};
