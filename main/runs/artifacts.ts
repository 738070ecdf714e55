// A step run's artifacts (AZUREML.md §10.4d, docs/bridge.md "runs/artifacts"): what it uploaded or
// left in runs/<run>/<step>/outputs/ and logs/, and its std_log.txt as user_logs/std_log.txt. A
// reused step shows the files of the step run it reused.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ArtifactRecord } from '../../shared/api/records.js';
import type { FileResult } from '../../shared/api/define.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import type { RunRecord, StepRecord } from '../../shared/types.js';
import { stepLogPath } from '../logs/log-file.js';
import { confinedFile, confinedPath } from '../workspace/confined-path.js';
import type { Workspace } from '../workspace/workspace.js';

/** Folders of the step folder whose files are artifacts, as their listed paths begin. */
const FOLDERS = ['outputs', 'logs'] as const;
export const STD_LOG_ARTIFACT = 'user_logs/std_log.txt';
/** A listing stops here: a step that wrote a million files still answers. */
const MAX_FILES = 10_000;

/** The folder holding the step run's files: the reused run's when it was reused. */
function stepFolder(ws: Workspace, run: RunRecord, step: StepRecord): string {
  const from = step.reusedFromRun;
  return from ? join(ws.runDir(from.id), from.step) : join(ws.runDir(run.id), step.name);
}

function walk(root: string, prefix: string, out: ArtifactRecord[]): void {
  if (!existsSync(root)) return;
  const visit = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (out.length >= MAX_FILES) return;
      const abs = join(dir, e.name);
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) visit(abs, r);
      else if (e.isFile()) {
        const st = statSync(abs);
        out.push({ path: r, size: st.size, modifiedAt: st.mtime.toISOString(), absolutePath: abs });
      }
    }
  };
  visit(root, prefix);
}

export function listArtifacts(ws: Workspace, run: RunRecord, step: StepRecord): ArtifactRecord[] {
  const folder = stepFolder(ws, run, step);
  const out: ArtifactRecord[] = [];
  for (const f of FOLDERS) walk(join(folder, f), f, out);
  const log = stepLogPath(ws, run.id, step);
  if (existsSync(log)) {
    const st = statSync(log);
    out.push({ path: STD_LOG_ARTIFACT, size: st.size, modifiedAt: st.mtime.toISOString(), absolutePath: log });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One artifact by its listed path; anything else (the metrics file, '..', a folder) is NotFound. */
export function artifactFile(ws: Workspace, run: RunRecord, step: StepRecord, path: string): FileResult {
  const missing = () => new NotFoundError(`step '${step.name}' of run ${run.shortId} has no artifact '${path}'`);
  let abs: string;
  if (path === STD_LOG_ARTIFACT) {
    abs = stepLogPath(ws, run.id, step);
    if (!existsSync(abs)) throw missing();
  } else {
    const [head, ...rest] = path.split('/');
    if (!(FOLDERS as readonly string[]).includes(head) || !rest.length) throw missing();
    try {
      abs = confinedFile(join(stepFolder(ws, run, step), head), rest.join('/'), 'artifact');
    } catch (e) {
      if (e instanceof NotFoundError) throw missing();
      throw e;
    }
  }
  return { kind: 'file', path: abs, name: basename(abs), size: statSync(abs).size };
}

// By step run id (the azureml package and the model registry name a step run, not a run and a step).

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

/** The file or folder an artifact path names (outputs/..., logs/..., user_logs/std_log.txt); not_found otherwise. */
export function artifactPath(ws: Workspace, stepRunId: string, path: string): string {
  const src = source(ws, stepRunId);
  const clean = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === STD_LOG_ARTIFACT) return stepLogPath(ws, src.runId, { name: src.step, reusedFrom: null });
  const top = clean.split('/')[0];
  if (!(FOLDERS as readonly string[]).includes(top)) throw new NotFoundError(`'${path}' is not an artifact path (they start with outputs/, logs/ or are ${STD_LOG_ARTIFACT})`);
  const root = join(ws.runDir(src.runId), src.step);
  try {
    return confinedPath(root, clean, 'artifact', 'file');
  } catch {
    return confinedPath(root, clean, 'artifact', 'folder');
  }
}
