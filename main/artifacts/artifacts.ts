// A step run's artifacts (AZUREML.md section 10.4d, docs/bridge.md "runs/artifacts"): what its
// working copy's ./outputs and ./logs became (runs/<runId>/<stepId>/outputs|logs/) and its
// std_log.txt as user_logs/std_log.txt. A reused step's artifacts are the reused run's.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactRecord } from '../../shared/api/sdk-records.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { stepLogPath } from '../logs/log-file.js';
import { confinedFile } from '../workspace/confined-file.js';
import type { Workspace } from '../workspace/workspace.js';

const FOLDERS = ['outputs', 'logs'] as const;
const STD_LOG = 'user_logs/std_log.txt';

/** The step run whose files a step run shows: itself, or the run it reused. */
function source(ws: Workspace, stepRunId: string): { runId: string; step: string; reusedFrom: string | null } {
  const s = ws.store.runs.state(stepRunId);
  if (!s || s.kind !== 'step') throw new NotFoundError(`no step run '${stepRunId}'`);
  const from = s.reusedFrom ? ws.store.runs.state(s.reusedFrom) : undefined;
  if (from?.parentId) return { runId: from.parentId, step: from.name, reusedFrom: s.reusedFrom };
  return { runId: s.parentId!, step: s.name, reusedFrom: null };
}

/** A pipeline run id (its step `step`, or its only step) or a step run id, as the step run it means. */
export function stepRunOf(ws: Workspace, idOrPrefix: string, step?: string): string {
  const id = ws.store.runs.resolveId(idOrPrefix, { steps: true });
  const s = ws.store.runs.state(id)!;
  if (s.kind === 'step') return id;
  const steps = ws.store.runs.stepStates(id);
  if (step !== undefined) {
    const found = steps.find((x) => x.name === step) ?? steps.find((x) => x.displayName === step);
    if (!found) throw new NotFoundError(`run ${id} has no step '${step}' (steps: ${steps.map((x) => x.name).join(', ')})`);
    return found.id;
  }
  if (steps.length !== 1) throw new UserError(`run ${id} has ${steps.length} steps: name the step run whose artifacts are meant`, 'invalid_input');
  return steps[0].id;
}

function walk(root: string, prefix: string, out: ArtifactRecord[]): void {
  if (!existsSync(root)) return;
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const abs = join(root, e.name);
    const rel = `${prefix}/${e.name}`;
    if (e.isDirectory()) walk(abs, rel, out);
    else if (e.isFile()) {
      const st = statSync(abs);
      out.push({ path: rel, size: st.size, modifiedAt: st.mtime.toISOString(), absolutePath: abs });
    }
  }
}

/** Sorted by path. */
export function listArtifacts(ws: Workspace, stepRunId: string): ArtifactRecord[] {
  const src = source(ws, stepRunId);
  const dir = join(ws.runDir(src.runId), src.step);
  const out: ArtifactRecord[] = [];
  for (const f of FOLDERS) walk(join(dir, f), f, out);
  const log = stepLogPath(ws, src.runId, { name: src.step, reusedFrom: null });
  if (existsSync(log)) {
    const st = statSync(log);
    out.push({ path: STD_LOG, size: st.size, modifiedAt: st.mtime.toISOString(), absolutePath: log });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The file or folder an artifact path names (outputs/..., logs/..., user_logs/std_log.txt); not_found otherwise. */
export function artifactPath(ws: Workspace, stepRunId: string, path: string): string {
  const src = source(ws, stepRunId);
  const clean = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === STD_LOG) return stepLogPath(ws, src.runId, { name: src.step, reusedFrom: null });
  const top = clean.split('/')[0];
  if (!(FOLDERS as readonly string[]).includes(top)) throw new NotFoundError(`'${path}' is not an artifact path (they start with outputs/, logs/ or are ${STD_LOG})`);
  const abs = confinedFile(join(ws.runDir(src.runId), src.step), clean, 'artifact', { allowDirectory: true });
  return abs;
}
