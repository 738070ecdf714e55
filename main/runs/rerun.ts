// Running a run again: the same pipeline with the same (or changed) parameters. A run of a published
// pipeline reruns that immutable snapshot — through the same endpoint and version when it came
// through one — never whatever file or default version there is now; a file run reruns its file.
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { NotFoundError, UserError } from '../../shared/errors.js';
import type { PublishedSource, RunRecord, Trigger } from '../../shared/types.js';
import type { RunDriver } from '../executor/run-driver.js';
import { resolveTarget, submitPublished, type SubmitTarget } from '../publish/submit-published.js';
import type { Workspace } from '../workspace/workspace.js';

export interface RerunChanges {
  parameters?: Record<string, string | number | boolean>;
  experiment?: string;
  description?: string;
  tags?: Record<string, string | null>;
  regenerateOutputs?: boolean;
}

/** The endpoint and version the run came through, while they still name its snapshot; else the snapshot itself. */
function publishedTarget(ws: Workspace, p: PublishedSource): SubmitTarget {
  if (!p.endpoint) return { publishedId: p.id };
  const viaEndpoint: SubmitTarget = { endpointName: p.endpoint, version: p.version };
  try {
    if (resolveTarget(ws, viaEndpoint).publishedId === p.id) return viaEndpoint;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  return { publishedId: p.id };
}

/** A run's pipeline file, when it still lies in the workspace's pipelines/ folder (what runs/submit accepts). */
function workspacePipelineFile(ws: Workspace, run: RunRecord): string {
  if (!run.pipelineFile) throw new UserError(`run ${run.shortId} has no pipeline file to run again`, 'invalid_input');
  let real: string;
  try {
    real = realpathSync(run.pipelineFile);
  } catch {
    throw new NotFoundError(`run ${run.shortId} ran ${run.pipelineFile}, which no longer exists`);
  }
  const rel = relative(realpathSync(join(ws.dir, 'pipelines')), real);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new NotFoundError(`run ${run.shortId} ran ${run.pipelineFile}, which is not under the workspace's pipelines/ folder`);
  return real;
}

/** Submits the new run (validated first: bad parameters throw before anything is written); returns its id. */
export function rerun(ws: Workspace, manager: RunDriver, runId: string, changes: RerunChanges, trigger: Trigger, baseUrl: string): string {
  const run = ws.store.runs.get(ws.store.runs.resolveId(runId));
  const parameters = changes.parameters ?? run.parameters;
  const experiment = changes.experiment ?? run.experiment;
  const by: Trigger = { ...trigger, rerunOf: run.id };
  if (run.published) {
    const request = { experiment, parameters, description: changes.description, tags: changes.tags, regenerateOutputs: changes.regenerateOutputs };
    return submitPublished(ws, manager, publishedTarget(ws, run.published), request, by, baseUrl).Id;
  }
  const file = workspacePipelineFile(ws, run);
  return manager.submit(file, { experiment, parameters, description: changes.description ?? null, tags: changes.tags, regenerateOutputs: changes.regenerateOutputs, trigger: by }).runId;
}
