// Submitting a published pipeline (Azure's PipelineSubmit / PipelineEndpointSubmit): find the
// version, refuse a disabled one, turn Azure's assignments into parameter values, submit.
import { join } from 'node:path';
import type { DataPathAssignment } from '../../shared/api/azure.js';
import type { SubmitResult } from '../../shared/api/records.js';
import { UserError } from '../../shared/errors.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import type { Trigger } from '../../shared/types.js';
import type { RunDriver } from '../executor/run-driver.js';
import { loadPipeline } from '../pipelines/load.js';
import { dataPathValues } from './data-paths.js';
import type { SubmitTargetRow } from '../store/published-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { studioRunUrl } from './records.js';

export type SubmitTarget = { publishedId: string } | { endpointId: string; version?: string } | { endpointName: string; version?: string };

export interface PublishedSubmitRequest {
  experiment: string;
  parameters?: Record<string, string | number | boolean>;
  dataPaths?: Record<string, DataPathAssignment>;
  description?: string | null;
  tags?: Record<string, string | null> | null;
  regenerateOutputs?: boolean | null;
  /** Overrides the published default for this run. */
  continueOnStepFailure?: boolean | null;
}

/** The published pipeline a submit runs: an endpoint's default unless a version is asked for. */
export function resolveTarget(ws: Workspace, t: SubmitTarget): SubmitTargetRow {
  if ('publishedId' in t) return ws.store.published.submitTarget(t.publishedId);
  if ('endpointId' in t) return ws.store.published.endpointSubmitTarget('id', t.endpointId, t.version);
  return ws.store.published.endpointSubmitTarget('name', t.endpointName, t.version);
}

/**
 * Published snapshots never change, and the names they were validated against (datastores,
 * compute targets, environments of this process's millrace.yml; datasets, which are never
 * removed) only grow: each is parsed and validated once per process.
 */
const validated = new Map<string, ValidPipeline>();

function snapshotPipeline(ws: Workspace, p: SubmitTargetRow): ValidPipeline {
  const key = `${ws.dir}\u0000${p.publishedId}`;
  let v = validated.get(key);
  if (!v) validated.set(key, (v = loadPipeline(ws, join(ws.dir, p.snapshotFile))));
  return v;
}

export function submitPublished(
  ws: Workspace,
  manager: RunDriver,
  target: SubmitTarget,
  req: PublishedSubmitRequest,
  trigger: Trigger,
  baseUrl: string,
): SubmitResult {
  const published = resolveTarget(ws, target);
  if (!published.endpointEnabled) {
    throw new UserError(`pipeline endpoint '${published.endpointName}' (${published.endpointId}) is disabled`, 'disabled');
  }
  if (!published.enabled) {
    throw new UserError(`published pipeline '${published.name}' version '${published.version}' (${published.publishedId}) is disabled`, 'disabled');
  }
  const cached = snapshotPipeline(ws, published);
  const continueOnStepFailure = req.continueOnStepFailure ?? published.continueOnStepFailure;
  // The cached snapshot is shared: a run's own default goes on a copy of its spec.
  const pipeline = continueOnStepFailure == null ? cached : { ...cached, spec: { ...cached.spec, continue_on_step_failure: continueOnStepFailure } };
  const parameters: Record<string, unknown> = Object.assign(Object.create(null), req.parameters);
  Object.assign(parameters, dataPathValues(ws, published.parameters, pipeline, req.dataPaths ?? {}, parameters));
  const tags = { ...(req.tags ?? {}) };
  const { runId, experiment } = manager.submit(join(ws.dir, published.snapshotFile), {
    experiment: req.experiment,
    parameters,
    trigger: { ...trigger, publishedPipelineId: published.publishedId, ...(published.endpointName ? { pipelineEndpoint: published.endpointName } : {}) },
    description: req.description ?? null,
    tags,
    regenerateOutputs: req.regenerateOutputs ?? false,
    pipeline,
  });
  const run = ws.store.runs.summary(runId);
  return {
    Id: runId,
    Status: run.status,
    ExperimentName: experiment,
    PipelineId: published.publishedId,
    PipelineEndpointId: published.endpointId,
    Description: run.description,
    ParameterAssignments: run.parameters,
    Tags: tags,
    CreatedDate: run.createdAt,
    RunUrl: studioRunUrl(baseUrl, runId),
  };
}
