// Finding what a call names (runs by id or prefix, steps by name, pipeline files inside pipelines/),
// with NotFound for anything outside what the API may reach.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { NotFoundError } from '../../../shared/errors.js';
import type { RunRecord, StepRecord } from '../../../shared/types.js';
import { confinedFile, isInside } from '../../workspace/confined-path.js';
import type { Workspace } from '../../workspace/workspace.js';

export function getRun(ws: Workspace, idOrPrefix: string): RunRecord {
  return ws.store.runs.get(ws.store.runs.resolveId(idOrPrefix));
}

export function findStep(run: RunRecord, step: string): StepRecord {
  const s = run.steps.find((x) => x.name === step) ?? run.steps.find((x) => x.displayName === step || x.id === step);
  if (!s) throw new NotFoundError(`run ${run.id} has no step '${step}' (steps: ${run.steps.map((x) => x.name).join(', ')})`);
  return s;
}

/**
 * A pipeline run's id and (optionally) one step run's id, from status rows only: getRun builds
 * every metric value, which costs hundreds of ms on a run with 100,000 points.
 */
export function runAndStepIds(ws: Workspace, idOrPrefix: string, step?: string): { runId: string; stepRunId: string | null } {
  const runId = ws.store.runs.resolveId(idOrPrefix);
  if (!step) return { runId, stepRunId: null };
  const steps = ws.store.runQueries.statusTree(runId).filter((r) => r.parentId === runId);
  const s = steps.find((x) => x.name === step) ?? steps.find((x) => x.id === step);
  if (!s) return { runId, stepRunId: findStep(getRun(ws, runId), step).id }; // display names and the not-found message
  return { runId, stepRunId: s.id };
}

export { confinedFile, isInside } from '../../workspace/confined-path.js';

export const pipelinesDir = (ws: Workspace): string => join(ws.dir, 'pipelines');

/**
 * A pipeline file named relative to the workspace's pipelines/ folder (a leading 'pipelines/' is
 * accepted too), or by the absolute path a run record holds when it lies inside that folder.
 */
export function pipelineFile(ws: Workspace, file: string): string {
  const inside = isAbsolute(file) && isInside(pipelinesDir(ws), resolve(file)) ? relative(pipelinesDir(ws), resolve(file)) : file;
  const rel = inside.replace(/\\/g, '/').replace(/^pipelines\//, '');
  if (!/\.ya?ml$/i.test(rel)) throw new NotFoundError(`no pipeline file '${file}' (pipeline files end in .yml or .yaml)`);
  return confinedFile(pipelinesDir(ws), rel, 'pipeline file');
}
