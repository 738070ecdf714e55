// Finding what a call names (runs by id or prefix, steps by name, pipeline files inside pipelines/),
// with NotFound for anything outside what the API may reach.
import { NotFoundError } from '../../../shared/errors.js';
import type { RunRecord, StepRecord } from '../../../shared/types.js';
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

