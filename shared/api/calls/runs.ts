// Experiments, runs, steps, logs, metrics and outputs.
import { z } from 'zod';
import { RUN_STATUSES, TRIGGER_KINDS } from '../../constants.js';
import type { RunRecord, StepRecord } from '../../types.js';
import { call, type FileResult } from '../define.js';
import type { ArtifactRecord, ExperimentRecord, LogChunk, MetricInfo, MetricSeries, RunPage, RunPipeline, StepOutputListing } from '../records.js';
import type { WhyRecord } from '../reuse-records.js';
import { safeText, TEXT_LIMITS } from '../../safe-text.js';
import { description, experimentName, oneOf, paramValues, qbool, qint, runId, tags } from './fields.js';

/** The columns the runs table can sort by; also `metrics.NAME` (last value) and `params.NAME`. */
export const RUN_SORT_KEYS = ['createdAt', 'durationMs', 'status', 'pipeline', 'experiment', 'name'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number] | `metrics.${string}` | `params.${string}`;
const sortKey = z.union([
  z.enum(RUN_SORT_KEYS),
  z.string().regex(/^(metrics|params)\.[^"]{1,256}$/, 'expected a column, metrics.NAME or params.NAME').transform((s) => s as RunSortKey),
]);

/** What narrows runs/list and runs/count. */
const runFilterArgs = {
  experiment: z.string().min(1).optional(),
  status: oneOf(RUN_STATUSES).optional(),
  trigger: oneOf(TRIGGER_KINDS).optional(),
  pipeline: z.string().min(1).optional(),
  publishedPipeline: z.string().min(1).max(200).optional().describe('runs of this published pipeline id (directly, through an endpoint or a schedule)'),
  search: z.string().max(200).optional().describe('part of a run id, name, pipeline name, description or file'),
  filter: z.string().max(4000).optional().describe("an MLflow-style expression: params.rate > 0.05 and metrics.AUC >= 0.8 and tags.team = 'x'"),
};

export const runCalls = {
  'experiments/list': call<ExperimentRecord[]>()({
    method: 'GET', path: '/experiments', args: z.strictObject({}),
    summary: 'experiments with their run counts, most recently used first',
  }),
  'runs/list': call<RunPage>()({
    method: 'GET', path: '/runs',
    args: z.strictObject({
      ...runFilterArgs,
      sort: sortKey.default('createdAt'),
      order: oneOf(['asc', 'desc']).default('desc'),
      metrics: z.string().max(2000).optional().describe('comma-separated metric names: each run gets the last value of each in `metrics`'),
      limit: qint(1, 500).default(50),
      offset: qint(0, 1e9).default(0),
      count: qbool.default(true).describe('false: leave `total` null (counting a filter over 100,000 runs takes long; ask runs/count after)'),
    }),
    summary: 'pipeline runs, newest first (or by sort/order), with paging (limit, offset), filters (experiment, status, trigger, pipeline, publishedPipeline, search, filter) and chosen metric values',
  }),
  'runs/count': call<{ total: number }>()({
    method: 'GET', path: '/runs/count', args: z.strictObject(runFilterArgs),
    summary: 'how many pipeline runs runs/list with these filters lists in all',
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
  'runs/update': call<RunRecord>()({
    method: 'POST', path: '/runs/:id/update',
    args: z.strictObject({
      id: runId,
      name: safeText(TEXT_LIMITS.name).nullable().optional().describe("the run's name (null or '' removes it)"),
      description: description.nullable().optional(),
      tags: tags.optional().describe('tags to set (a null value: a tag without a value)'),
      removeTags: z.array(z.string().min(1).max(TEXT_LIMITS.key)).max(TEXT_LIMITS.tags).optional(),
    }),
    summary: "change a run's name, description or tags (as MLflow's run page does)",
  }),
  'runs/rerun': call<RunRecord>()({
    method: 'POST', path: '/runs/:id/rerun',
    args: z.strictObject({
      id: runId,
      parameters: paramValues.optional().describe('all parameter values of the new run (default: those of the run)'),
      experiment: experimentName.optional(),
      description: description.optional(),
      tags: tags.optional(),
      regenerateOutputs: z.boolean().optional(),
    }),
    summary: 'run it again: the same pipeline file, or the same published snapshot through the same endpoint and version, with these parameters',
  }),
  'runs/pipeline': call<RunPipeline>()({
    method: 'GET', path: '/runs/:id/pipeline', args: z.strictObject({ id: runId }),
    summary: "the pipeline a run ran (graph, step definitions, parameter declarations), as recorded with it",
  }),
  'runs/why': call<WhyRecord>()({
    method: 'GET', path: '/runs/:id/steps/:step/why',
    args: z.strictObject({
      id: runId,
      step: z.string().min(1).max(256),
      against: z.string().min(1).max(200).optional().describe('compare with this run (id or unique prefix) instead of the newest earlier Completed run of the step'),
    }),
    summary: 'why a step was reused or ran: the run it reused, or the run it would have reused and which parts of the reuse key differ',
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
    method: 'GET', path: '/runs/:id/artifacts',
    args: z.strictObject({ id: runId, step: z.string().min(1).optional().describe('step name; without it: [] (a pipeline run has no artifacts of its own)') }),
    summary: "a step run's artifacts: files under its outputs/ and logs/ (run.upload_file, ./outputs) and user_logs/std_log.txt, sorted by path",
  }),
  'runs/artifact-file': call<FileResult>()({
    method: 'GET', path: '/runs/:id/artifact-file',
    args: z.strictObject({ id: runId, step: z.string().min(1), path: z.string().min(1).max(4096) }),
    response: 'file',
    summary: 'download one artifact of a step run (its path as runs/artifacts lists it)',
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
      offset: qint(0, Number.MAX_SAFE_INTEGER).optional().describe('with limit: the index of the first point of the page'),
      limit: qint(1, 100_000).optional().describe('a page of the points as logged (not downsampled): points offset .. offset+limit-1'),
    }),
    summary: 'the points of one metric, downsampled on the server to at most maxPoints, or a page of them as logged (offset, limit; follow nextOffset)',
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
