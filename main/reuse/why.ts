// "Why did this step rerun?" (docs/reuse.md): for a reused step, the run it reused and that every
// part of the key matched; for a step that ran, the run it would have reused and what differs.
import { existsSync } from 'node:fs';
import type { WhyReason, WhyRecord, WhyStepRef } from '../../shared/api/reuse-records.js';
import { NotFoundError } from '../../shared/errors.js';
import type { PlannedStep } from '../executor/plan.js';
import type { ReuseStep } from '../store/reuse-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { compareKeys, type KeySide } from './why-components.js';

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

function ref(ws: Workspace, s: ReuseStep): WhyStepRef {
  return { runId: s.runId, shortId: ws.store.runs.shortId(s.runId), step: s.name, stepRunId: s.id, status: s.status, endedAt: iso(s.endedAt) };
}

function side(ws: Workspace, s: ReuseStep): KeySide {
  return { def: s.definition as Partial<PlannedStep>, parts: s.reuseKey ? ws.store.reuse.manifest(s.reuseKey) : undefined, label: `run ${ws.store.runs.shortId(s.runId)} (${s.name})` };
}

/** When every part matched yet the step ran: its outputs, as the lookup found them then or as they are now. */
function outputsReason(ws: Workspace, s: ReuseStep, cand: ReuseStep): WhyReason | undefined {
  const source = cand.reusedFrom ? (ws.store.reuse.step(cand.reusedFrom) ?? cand) : cand;
  const miss = s.reuseMiss.find((m) => m.source === source.id) ?? s.reuseMiss[0];
  if (miss?.reason === 'edited') return { kind: 'outputs_edited', text: `outputs of the candidate were edited in place (output ${miss.output} no longer has the content it was recorded with)` };
  if (miss?.reason === 'deleted') return { kind: 'outputs_deleted', text: `outputs of the candidate were deleted (output ${miss.output})` };
  if (source.outputsDeletedAt != null || Object.values(source.outputs).some((p) => !existsSync(p))) {
    return { kind: 'outputs_deleted', text: 'outputs of the candidate were deleted' };
  }
  return undefined;
}

/** The explanation for one step run; `against`: a pipeline run to compare with instead of the newest earlier one. */
export function explainStep(ws: Workspace, stepRunId: string, against?: string): WhyRecord {
  const s = ws.store.reuse.step(stepRunId);
  if (!s) throw new NotFoundError(`no step run '${stepRunId}'`);
  let cand: ReuseStep | undefined;
  if (against) {
    const otherRun = ws.store.runs.resolveId(against);
    cand = ws.store.reuse.stepOf(otherRun, s.name);
    if (!cand) throw new NotFoundError(`run ${otherRun} has no step '${s.name}'`);
  } else if (s.reusedFrom) cand = ws.store.reuse.step(s.reusedFrom);
  else cand = ws.store.reuse.previousCompleted(s);

  const base = { runId: s.runId, step: s.name, stepRunId: s.id, status: s.status, candidate: cand ? ref(ws, cand) : null };
  const cmp = cand ? compareKeys(ws.dir, side(ws, s), side(ws, cand)) : { reasons: [], matched: [] };

  if (s.reusedFrom && !against) {
    const from = base.candidate ? `step '${cand!.name}' of run ${base.candidate.shortId}` : `step run ${s.reusedFrom}`;
    return { ...base, outcome: 'reused', matched: cmp.matched, reasons: [], summary: `reused ${from}: every component of the reuse key matched` };
  }

  const reasons: WhyReason[] = [];
  const def = s.definition as Partial<PlannedStep>;
  if (def.allowReuse === false) reasons.push({ kind: 'allow_reuse', text: 'allow_reuse: false' });
  if (s.runDefinition.regenerateOutputs === true) reasons.push({ kind: 'regenerate_outputs', text: '--regenerate-outputs' });
  const keyed = s.reuseKey != null || s.reusedFrom != null;
  if (!cand) reasons.push({ kind: 'no_candidate', text: 'no earlier run of this step' });
  else if (cmp.reasons.length) reasons.push(...cmp.reasons);
  else if (s.reuseKey && cand.reuseKey && s.reuseKey !== cand.reuseKey) {
    // Keys recorded before manifests: the inputs' content identities are not there to compare.
    reasons.push({ kind: 'unknown', text: `the reuse key differs (run ${base.candidate!.shortId} recorded no parts to compare; most likely an input's content)` });
  } else if (!reasons.length && keyed && !s.reusedFrom) {
    const outputs = outputsReason(ws, s, cand);
    if (outputs) reasons.push(outputs);
    else if (cand.endedAt != null && cand.endedAt > s.createdAt) reasons.push({ kind: 'unknown', text: `every component matched; run ${base.candidate!.shortId} had not completed when this step looked for a run to reuse` });
  }
  if (!keyed) reasons.unshift({ kind: 'not_keyed', text: `the step did not get as far as computing its reuse key (${s.status})` });

  const outcome = s.reusedFrom ? 'reused' : keyed ? 'ran' : 'not_run';
  const what = outcome === 'reused' ? 'reused' : outcome === 'ran' ? 'ran' : 'did not run';
  const summary = !cand
    ? `${what}: no earlier run of this step to reuse`
    : reasons.length
      ? `${what}; compared with step '${cand.name}' of run ${base.candidate!.shortId}: ${reasons.length} reason${reasons.length === 1 ? '' : 's'}`
      : `${what}; every component of the reuse key matches step '${cand.name}' of run ${base.candidate!.shortId}`;
  return { ...base, outcome, matched: cmp.matched, reasons, summary };
}
