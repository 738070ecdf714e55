// A step run's artifacts (AZUREML.md §10.4d, docs/bridge.md "runs/artifacts"): what it uploaded or
// left in runs/<run>/<step>/outputs/ and logs/, and its std_log.txt as user_logs/std_log.txt. A
// reused step shows the files of the step run it reused.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ArtifactRecord } from '../../shared/api/records.js';
import type { FileResult } from '../../shared/api/define.js';
import { NotFoundError } from '../../shared/errors.js';
import type { RunRecord, StepRecord } from '../../shared/types.js';
import { stepLogPath } from '../logs/log-file.js';
import { confinedFile } from '../workspace/confined-path.js';
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
