// Submitting a published pipeline (Azure's PipelineSubmit / PipelineEndpointSubmit): find the
// version, refuse a disabled one, turn Azure's assignments into parameter values, submit.
import { join } from 'node:path';
import type { DataPathAssignment } from '../../shared/api/azure.js';
import type { SubmitResult } from '../../shared/api/records.js';
import { UserError } from '../../shared/errors.js';
import { refsIn } from '../../shared/pipeline/expressions.js';
import { ownValue, shown } from '../../shared/safe-text.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import type { Trigger } from '../../shared/types.js';
import type { RunDriver } from '../executor/run-driver.js';
import { loadPipeline } from '../pipelines/load.js';
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

/** The datastores a parameter is read from as a path (`{datastore: D, path: ${{parameters.NAME}}}`). */
function datastoresOfParameter(pipeline: ValidPipeline, param: string): Set<string> {
  const used = new Set<string>();
  for (const step of Object.values(pipeline.spec.steps)) {
    for (const inp of Object.values(step.inputs ?? {})) {
      if (typeof inp !== 'object' || !('datastore' in inp)) continue;
      if (refsIn(inp.path).refs.some((r) => r.kind === 'parameters' && r.name === param)) used.add(inp.datastore);
    }
  }
  return used;
}

/** Azure's DataPathAssignments set `path` parameters: a plain path, or {DataStoreName, RelativePath}. */
function dataPathValues(ws: Workspace, p: SubmitTargetRow, pipeline: ValidPipeline, given: Record<string, DataPathAssignment>, params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, v] of Object.entries(given)) {
    const spec = ownValue(p.parameters, name);
    if (!spec) {
      const known = Object.keys(p.parameters);
      throw new UserError(`DataPathAssignments: unknown parameter '${shown(name)}'${known.length ? ` (this pipeline has: ${known.join(', ')})` : ''}`, 'unknown_parameter');
    }
    if (spec.type !== 'path') throw new UserError(`DataPathAssignments: parameter '${name}' is a ${spec.type}, not a path; set it in ParameterAssignments`, 'invalid_parameter');
    if (Object.hasOwn(params, name)) throw new UserError(`parameter '${name}' is set in both ParameterAssignments and DataPathAssignments`, 'invalid_parameter');
    if (typeof v === 'string') {
      out[name] = v;
      continue;
    }
    if (v.DataStoreName !== undefined) {
      if (!ownValue(ws.config.datastores, v.DataStoreName)) {
        throw new UserError(`DataPathAssignments.${name}: unknown datastore '${v.DataStoreName}' (known: ${Object.keys(ws.config.datastores).join(', ')})`, 'invalid_parameter');
      }
      const used = datastoresOfParameter(pipeline, name);
      if (used.size && !used.has(v.DataStoreName)) {
        throw new UserError(
          `DataPathAssignments.${name}: this pipeline reads '${name}' from datastore ${[...used].map((d) => `'${d}'`).join(', ')}, not '${v.DataStoreName}'`,
          'invalid_parameter',
        );
      }
    }
    out[name] = v.RelativePath;
  }
  return out;
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
  if (!published.enabled) {
    throw new UserError(`published pipeline '${published.name}' version '${published.version}' (${published.publishedId}) is disabled`, 'disabled');
  }
  const pipeline = snapshotPipeline(ws, published);
  const parameters: Record<string, unknown> = Object.assign(Object.create(null), req.parameters);
  Object.assign(parameters, dataPathValues(ws, published, pipeline, req.dataPaths ?? {}, parameters));
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
