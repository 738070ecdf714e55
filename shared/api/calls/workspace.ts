// The workspace: server info, pipeline files, datastores, datasets, tokens.
import { z } from 'zod';
import { DATASET_KINDS } from '../../constants.js';
import { call, type FileResult } from '../define.js';
import type { ComputeTargetRecord, DatasetVersionRecord, DatastoreListing, DatastoreRecord, FilePreview, PipelineFileDetail, PipelineFileRecord, ServerInfo, TokenRecord } from '../records.js';
import { datasetFormat, datasetPaths } from './datasets.js';
import { datasetName, description, objectName, oneOf, qbool, qint } from './fields.js';
import { nameRecord, safeText, TEXT_LIMITS } from '../../safe-text.js';

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
  'datastores/browse': call<DatastoreListing>()({
    method: 'GET', path: '/datastores/:name/files',
    args: z.strictObject({ name: z.string().min(1), path: z.string().max(4096).default('') }),
    summary: "one folder of a datastore: its folders and files with sizes (path relative to the datastore; '' its root)",
  }),
  'datastores/preview': call<FilePreview>()({
    method: 'GET', path: '/datastores/:name/preview',
    args: z.strictObject({ name: z.string().min(1), path: z.string().min(1).max(4096), lines: qint(1, 1000).default(20) }),
    summary: "the first lines of a file on a datastore (a CSV's head), at most 64 KiB",
  }),
  'datastores/file': call<FileResult>()({
    method: 'GET', path: '/datastores/:name/file',
    args: z.strictObject({ name: z.string().min(1), path: z.string().min(1).max(4096) }),
    response: 'file',
    summary: 'download a file of a datastore',
  }),
  'datastores/register': call<DatastoreRecord>()({
    method: 'POST', path: '/datastores',
    args: z.strictObject({
      name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,254}$/, 'a datastore name starts with a letter and holds only letters, digits and _ (at most 255)'),
      kind: oneOf(['blob', 'file']).default('blob'),
    }),
    summary: 'add the folder datastore datastores/<name> to millrace.yml (keeping its comments); an existing one is returned unchanged',
  }),
  'compute/list': call<ComputeTargetRecord[]>()({
    method: 'GET', path: '/compute', args: z.strictObject({}),
    summary: 'compute targets of millrace.yml (local always exists)',
  }),
  'compute/ensure': call<ComputeTargetRecord>()({
    method: 'POST', path: '/compute',
    args: z.strictObject({
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "a compute target name starts with a letter or digit and holds only letters, digits, '_', '.' and '-' (at most 128)"),
      maxNodes: qint(1, 1_000_000).optional(),
    }),
    summary: 'add a local slot pool to millrace.yml (max_concurrency: min(maxNodes, CPU cores)), keeping its comments; an existing target is returned unchanged',
  }),
  'datasets/list': call<DatasetVersionRecord[]>()({
    method: 'GET', path: '/datasets', args: z.strictObject({}),
    summary: 'registered datasets, every version',
  }),
  'datasets/get': call<DatasetVersionRecord>()({
    method: 'GET', path: '/datasets/:name', args: z.strictObject({ name: datasetName, version: qint(1, 1e9).optional() }),
    summary: 'one dataset version (default: the latest)',
  }),
  'datasets/register': call<DatasetVersionRecord & { created: boolean }>()({
    method: 'POST', path: '/datasets',
    args: z.strictObject({
      name: datasetName,
      datastore: z.string().min(1).optional(),
      path: z.string().min(1).max(4096).optional().describe('with datastore: a file or folder on the datastore that must exist'),
      paths: datasetPaths.optional().describe('instead of datastore + path: paths (globs allowed) that need not match anything yet'),
      kind: oneOf(DATASET_KINDS).default('file'),
      format: datasetFormat.nullable().optional(),
      description: description.optional(),
      tags: nameRecord(safeText(TEXT_LIMITS.tagValue)).optional(),
      createNewVersion: z.boolean().optional().describe('a definition different from the latest: a new version (true) or a conflict (false); unset: a new version'),
    }),
    summary: 'register a dataset version: the latest one when the definition is the same (created: false), else a new one (unless createNewVersion is false: conflict)',
  }),
  'datasets/get-by-id': call<DatasetVersionRecord>()({
    method: 'GET', path: '/datasets/by-id/:id', args: z.strictObject({ id: z.string().min(1).max(100) }),
    summary: 'the dataset version with this id',
  }),
  'datasets/set-tags': call<DatasetVersionRecord>()({
    method: 'POST', path: '/datasets/:name/tags',
    args: z.strictObject({ name: datasetName, version: qint(1, 1e9), tags: nameRecord(safeText(TEXT_LIMITS.tagValue)) }),
    summary: "replace a dataset version's tags",
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
