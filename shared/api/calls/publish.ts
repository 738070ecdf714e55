// Published pipelines and pipeline endpoints (DESIGN.md sections 1 and 7).
import { z } from 'zod';
import { dataPathSchema } from '../azure.js';
import { call } from '../define.js';
import type { PipelineEndpointRecord, PublishedPipelineRecord, SubmitResult } from '../records.js';
import { nameRecord } from '../../safe-text.js';
import { description, experimentName, id, objectName, paramValues, qbool, tags } from './fields.js';

const submitArgs = {
  experiment: experimentName,
  parameters: paramValues.optional(),
  dataPaths: nameRecord(dataPathSchema).optional(),
  description: description.optional(),
  tags: tags.optional(),
  regenerateOutputs: z.boolean().optional(),
};

export const publishCalls = {
  'published/list': call<PublishedPipelineRecord[]>()({
    method: 'GET', path: '/published-pipelines',
    args: z.strictObject({ name: z.string().min(1).optional(), activeOnly: qbool.default(false) }),
    summary: 'published pipelines, newest first',
  }),
  'published/get': call<PublishedPipelineRecord>()({
    method: 'GET', path: '/published-pipelines/:id', args: z.strictObject({ id }),
    summary: 'one published pipeline',
  }),
  'published/create': call<PublishedPipelineRecord>()({
    method: 'POST', path: '/published-pipelines',
    args: z.strictObject({
      file: z.string().min(1).describe("pipeline file under the workspace's pipelines/ folder"),
      name: objectName('a published pipeline name'),
      version: objectName('a version').optional(),
      description: description.optional(),
      endpoint: objectName('a pipeline endpoint name').optional(),
      makeDefault: z.boolean().optional().describe("with endpoint: make this version the endpoint's default (default true; a new endpoint's first version always is)"),
    }),
    summary: 'publish a pipeline file: snapshot its definition and source directories (as `millrace publish`)',
  }),
  'published/disable': call<PublishedPipelineRecord>()({
    method: 'POST', path: '/published-pipelines/:id/disable', args: z.strictObject({ id }),
    summary: 'disable a published pipeline: submits get 403 until it is enabled again',
  }),
  'published/enable': call<PublishedPipelineRecord>()({
    method: 'POST', path: '/published-pipelines/:id/enable', args: z.strictObject({ id }),
    summary: 'enable a disabled published pipeline',
  }),
  'published/submit': call<SubmitResult>()({
    method: 'POST', path: '/published-pipelines/:id/submit',
    args: z.strictObject({ id, ...submitArgs, continueOnStepFailure: z.boolean().optional().describe('overrides the default given at publish') }),
    summary: 'run a published pipeline (what PipelineSubmit does, with camelCase keys)',
  }),
  'endpoints/list': call<PipelineEndpointRecord[]>()({
    method: 'GET', path: '/pipeline-endpoints', args: z.strictObject({}),
    summary: 'pipeline endpoints with their versions and defaults',
  }),
  'endpoints/get': call<PipelineEndpointRecord>()({
    method: 'GET', path: '/pipeline-endpoints/:name', args: z.strictObject({ name: id.describe('endpoint name or id') }),
    summary: 'one pipeline endpoint (by name or id)',
  }),
  'endpoints/create': call<PipelineEndpointRecord>()({
    method: 'POST', path: '/pipeline-endpoints',
    args: z.strictObject({ name: objectName('a pipeline endpoint name'), description: description.optional(), publishedPipelineId: id }),
    summary: 'create a pipeline endpoint with a published pipeline as its default version (a taken name is a conflict)',
  }),
  'endpoints/add': call<PipelineEndpointRecord>()({
    method: 'POST', path: '/pipeline-endpoints/:name/versions',
    args: z.strictObject({ name: id.describe('endpoint name or id'), publishedPipelineId: id, setDefault: z.boolean().default(false) }),
    summary: "add a published pipeline to an endpoint as the version it carries (and make it the default with setDefault)",
  }),
  'endpoints/enable': call<PipelineEndpointRecord>()({
    method: 'POST', path: '/pipeline-endpoints/:name/enable', args: z.strictObject({ name: id.describe('endpoint name or id') }),
    summary: 'enable a disabled pipeline endpoint',
  }),
  'endpoints/disable': call<PipelineEndpointRecord>()({
    method: 'POST', path: '/pipeline-endpoints/:name/disable', args: z.strictObject({ name: id.describe('endpoint name or id') }),
    summary: 'disable a pipeline endpoint: its submits answer 403 until it is enabled',
  }),
  'endpoints/set-default': call<PipelineEndpointRecord>()({
    method: 'POST', path: '/pipeline-endpoints/:name/default',
    args: z.strictObject({ name: id.describe('endpoint name or id'), version: z.string().min(1) }),
    summary: 'make one of its versions the default that submits without ?pipelineVersion= run',
  }),
  'endpoints/submit': call<SubmitResult>()({
    method: 'POST', path: '/pipeline-endpoints/:name/submit',
    args: z.strictObject({ name: id, pipelineVersion: z.string().min(1).optional(), ...submitArgs }),
    summary: "run an endpoint's default version, or pipelineVersion",
  }),
};
