// The model registry (AZUREML.md section 10.4h): versioned files under models/<name>/<version>/.
import { z } from 'zod';
import { call } from '../define.js';
import type { ModelRecord } from '../sdk-records.js';
import { nameRecord, safeText, TEXT_LIMITS } from '../../safe-text.js';
import { description, qbool, qint, runId } from './fields.js';

export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const modelName = z.string().regex(MODEL_NAME_PATTERN, "a model name starts with a letter or digit and holds only letters, digits, '_', '.' and '-' (at most 255)");
const stringMap = nameRecord(safeText(TEXT_LIMITS.tagValue));
const version = qint(1, 1e9);

export const modelCalls = {
  'models/register': call<ModelRecord>()({
    method: 'POST', path: '/models',
    args: z.strictObject({
      name: modelName,
      path: safeText(TEXT_LIMITS.path).check(z.minLength(1)).optional().describe('an absolute file or folder on this machine (local callers only)'),
      runId: runId.optional(),
      artifactPath: safeText(TEXT_LIMITS.path).check(z.minLength(1)).optional().describe("with runId: a file or folder of the run's artifacts, e.g. outputs/model.pkl"),
      tags: stringMap.optional(),
      properties: stringMap.optional(),
      description: description.optional(),
      datasets: z.array(z.strictObject({ name: safeText(TEXT_LIMITS.name), id: safeText(TEXT_LIMITS.key) })).max(100).optional(),
      framework: safeText(TEXT_LIMITS.key).optional(),
      frameworkVersion: safeText(TEXT_LIMITS.key).optional(),
      experiment: safeText(TEXT_LIMITS.name).optional(),
    }),
    summary: 'register a model version: copy a file or folder (or a run artifact) to models/<name>/<version>/',
  }),
  'models/list': call<ModelRecord[]>()({
    method: 'GET', path: '/models',
    args: z.strictObject({ name: modelName.optional(), runId: runId.optional(), latest: qbool.default(false) }),
    summary: 'model versions, newest first (latest: one per name)',
  }),
  'models/get': call<ModelRecord>()({
    method: 'GET', path: '/models/:name', args: z.strictObject({ name: modelName, version: version.optional() }),
    summary: 'one model version (default: the latest)',
  }),
  'models/update': call<ModelRecord>()({
    method: 'POST', path: '/models/:name/update',
    args: z.strictObject({ name: modelName, version, tags: stringMap.optional(), properties: stringMap.optional(), description: description.nullable().optional() }),
    summary: 'replace the tags, add properties (existing ones keep their values) or set the description of a version',
  }),
  'models/delete': call<ModelRecord>()({
    method: 'DELETE', path: '/models/:name', args: z.strictObject({ name: modelName, version }),
    summary: 'delete a model version and its files',
  }),
  'models/file': call<import('../define.js').FileResult>()({
    method: 'GET', path: '/models/:name/file',
    args: z.strictObject({ name: modelName, version, path: safeText(TEXT_LIMITS.path).optional().describe('a file inside a folder model, relative to it') }),
    response: 'file',
    summary: "download a model version's file (or one file of a folder model)",
  }),
};
