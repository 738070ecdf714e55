// Experiments, runs, steps, logs, metrics and outputs.
import { z } from 'zod';
import { RUN_STATUSES, TRIGGER_KINDS } from '../../constants.js';
import type { RunRecord, StepRecord } from '../../types.js';
import { call, type FileResult } from '../define.js';
import type { ArtifactRecord } from '../sdk-records.js';
import type { ExperimentRecord, LogChunk, MetricInfo, MetricSeries, Page, RunSummary, StepOutputListing } from '../records.js';
import { description, experimentName, oneOf, paramValues, qint, runId, tags } from './fields.js';

/** What the runs table can sort by. */
export const RUN_SORT_KEYS = ['createdAt', 'durationMs', 'status', 'pipeline', 'experiment'] as const;

export const runCalls = {
  'experiments/list': call<ExperimentRecord[]>()({
    method: 'GET', path: '/experiments', args: z.strictObject({}),
    summary: 'experiments with their run counts, most recently used first',
  }),
  'runs/list': call<Page<RunSummary>>()({
    method: 'GET', path: '/runs',
    args: z.strictObject({
      experiment: z.string().min(1).optional(),
      status: oneOf(RUN_STATUSES).optional(),
      trigger: oneOf(TRIGGER_KINDS).optional(),
      pipeline: z.string().min(1).optional(),
      publishedPipeline: z.string().min(1).max(200).optional().describe('runs of this published pipeline (directly, through an endpoint or a schedule)'),
      search: z.string().max(200).optional().describe('part of a run id, pipeline name, description or file'),
      sort: oneOf(RUN_SORT_KEYS).default('createdAt'),
      order: oneOf(['asc', 'desc']).default('desc'),
      metrics: z.string().max(2000).optional().describe('comma-separated metric names: each run gets the last value of each in `metrics`'),
      limit: qint(1, 500).default(50),
      offset: qint(0, 1e9).default(0),
    }),
    summary: 'pipeline runs, newest first (or by sort/order), with paging (limit, offset), filters (experiment, status, trigger, pipeline, search) and chosen metric values',
  }),
  'runs/get': call<RunRecord>()({
    method: 'GET', path: '/runs/:id', args: z.strictObject({ id: runId }),
    summary: 'one run with its steps and metrics: the same record as `millrace run --json`',
  }),
  'runs/steps': call<StepRecord[]>()({
    method: 'GET', path: '/runs/:id/steps', args: z.strictObject({ id: runId }),
    summary: "a run's step runs in pipeline order",
  }),
  'runs/submit': call<RunRecord>()({
    method: 'POST', path: '/runs',
    args: z.strictObject({
      file: z.string().min(1).describe("pipeline file under the workspace's pipelines/ folder"),
      experiment: experimentName.optional(),
      parameters: paramValues.optional(),
      regenerateOutputs: z.boolean().optional(),
      description: description.optional(),
      tags: tags.optional(),
    }),
    summary: "run a pipeline file of the workspace's pipelines/ folder in the serving process",
  }),
  'runs/cancel': call<RunRecord>()({
    method: 'POST', path: '/runs/:id/cancel', args: z.strictObject({ id: runId }),
    summary: 'cancel a run: at once when this process runs it, else through the cancel flag its owner polls',
  }),
  'runs/tag': call<{ id: string; tags: Record<string, string | null> }>()({
    method: 'POST', path: '/runs/:id/tags',
    args: z.strictObject({
      id: runId.describe('a pipeline run or a step run (id or unique prefix)'),
      tags: tags.default({}),
      remove: z.array(z.string().min(1).max(128)).max(100).default([]),
    }),
    summary: 'set tags of a run or step run (merged with its others) and remove some: its tags after the change',
  }),
  'runs/artifacts': call<ArtifactRecord[]>()({
    method: 'GET', path: '/runs/:id/artifacts', args: z.strictObject({ id: runId, step: z.string().min(1).optional() }),
    summary: "a step run's artifacts: outputs/**, logs/** and user_logs/std_log.txt (a reused step: the reused run's)",
  }),
  'runs/logs': call<LogChunk>()({
    method: 'GET', path: '/runs/:id/logs/:step',
    args: z.strictObject({
      id: runId,
      step: z.string().min(1),
      offset: qint(0, Number.MAX_SAFE_INTEGER).optional(),
      tail: qint(1, 100_000).optional(),
      maxBytes: qint(1, 16 * 1024 * 1024).default(1024 * 1024),
    }),
    summary: "a step's std_log.txt: from a byte offset (follow with nextOffset), or its last `tail` lines",
  }),
  'runs/metrics': call<MetricInfo[]>()({
    method: 'GET', path: '/runs/:id/metrics', args: z.strictObject({ id: runId }),
    summary: 'the metric names logged on a run and its steps, with kinds and point counts',
  }),
  'runs/metric-series': call<MetricSeries>()({
    method: 'GET', path: '/runs/:id/metric-series',
    args: z.strictObject({
      id: runId,
      name: z.string().min(1),
      step: z.string().min(1).optional().describe('step name; without it, the metric of the pipeline run'),
      maxPoints: qint(2, 100_000).default(1000),
    }),
    summary: 'the points of one metric, downsampled on the server to at most maxPoints',
  }),
  'runs/outputs': call<StepOutputListing[]>()({
    method: 'GET', path: '/runs/:id/outputs', args: z.strictObject({ id: runId, maxFiles: qint(1, 100_000).default(1000) }),
    summary: "the files in each step's output folders",
  }),
  'runs/output-file': call<FileResult>()({
    method: 'GET', path: '/runs/:id/outputs/:step/:output',
    args: z.strictObject({ id: runId, step: z.string().min(1), output: z.string().min(1), path: z.string().min(1).max(4096) }),
    response: 'file',
    summary: "download one file of a step's output folder (path relative to it)",
  }),
  'runs/image': call<FileResult>()({
    method: 'GET', path: '/runs/:id/images',
    args: z.strictObject({ id: runId, step: z.string().min(1).optional(), path: z.string().min(1).max(4096) }),
    response: 'file',
    summary: "an image metric's file (its value: a path relative to the run's folder, e.g. images/ROC.png)",
  }),
};
