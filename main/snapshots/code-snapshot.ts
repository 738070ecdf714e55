// Content-addressed snapshots of steps' code (AZUREML.md section 10.4d): `snapshots/<code hash>/`
// holds exactly the files that are a step's code (DESIGN.md section 3, reuse/code-files.ts), at
// their paths relative to the code's root. A step with a source directory: that folder's code
// files; a step with only a script: a folder holding that one file under its own name. Equal code
// gives one snapshot, taken once; a snapshot never changes once it exists.
//
// The interface the engine builds on (the runner runs each step in a working copy of its snapshot):
// `snapshotDir(ws, codeHash)` is the folder; `codeHash` is the content hash of that folder as
// ContentHasher.hashPath computes it, so it equals the hash of the step's code the reuse key takes.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PlannedStep } from '../executor/plan.js';
import { copyTree } from '../publish/snapshot.js';
import { codeFilter } from '../reuse/code-files.js';
import { ContentHasher, folderHash } from '../reuse/content-hasher.js';
import type { Workspace } from '../workspace/workspace.js';

export const SNAPSHOTS_DIR = 'snapshots';

/** Past either, a snapshot is probably not just code (AZUREML.md section 10.4d): one warning says how to leave data out. */
export const LARGE_SNAPSHOT = { files: 2000, bytes: 300 * 1024 * 1024 };

/** Files and bytes under a folder. */
function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

export const snapshotDir = (ws: Workspace, codeHash: string): string => join(ws.dir, SNAPSHOTS_DIR, codeHash);

/** What a step's code is: a folder filtered as code, a single script, or nothing (a bare command). */
export function codeOf(ws: Workspace, step: Pick<PlannedStep, 'sourceDir' | 'scriptPath'>): { root: string; filter?: (rel: string, isDir: boolean) => boolean } | null {
  if (step.sourceDir) return { root: step.sourceDir, filter: codeFilter(step.sourceDir, ws.dir) };
  if (step.scriptPath) return { root: step.scriptPath };
  return null;
}

/**
 * The step's code hash, its snapshot taken when it does not exist yet ('' and no snapshot for a
 * step without code). Concurrent takers of one snapshot each copy to a staging folder; the first
 * rename wins and the others drop their copy.
 */
export async function snapshotStepCode(ws: Workspace, step: Pick<PlannedStep, 'sourceDir' | 'scriptPath'>, hasher: ContentHasher, warn?: (line: string) => void): Promise<string> {
  const code = codeOf(ws, step);
  if (!code) return '';
  let hash: string;
  if (code.filter) hash = (await hasher.hashPath(code.root, code.filter)).hash;
  else hash = folderHash([{ rel: basename(code.root), hash: await hasher.hashFile(code.root) }]);
  if (existsSync(snapshotDir(ws, hash))) return hash;
  const root = join(ws.dir, SNAPSHOTS_DIR);
  const staging = join(root, `.staging-${randomUUID()}`);
  mkdirSync(staging, { recursive: true });
  try {
    if (code.filter) copyTree(code.root, staging, code.filter);
    else copyFileSync(code.root, join(staging, basename(code.root)));
    // Named by what was copied (a file edited meanwhile must not sit under the old content's
    // name); hashed by a hasher of its own, so staging paths never enter the hash cache.
    const copied = (await new ContentHasher(hasher.cache).hashPath(staging)).hash;
    const size = sizeOf(staging);
    if (code.filter && (size.files > LARGE_SNAPSHOT.files || size.bytes > LARGE_SNAPSHOT.bytes)) {
      warn?.(`the code snapshot of ${code.root} holds ${size.files} files (${Math.round(size.bytes / 1024 / 1024)} MB): list what is not code (data, environments) in its .amlignore, .gitignore or .millraceignore`);
    }
    const final = snapshotDir(ws, copied);
    try {
      renameSync(staging, final);
    } catch (e) {
      if (!existsSync(final)) throw e; // another taker was first: its copy is the same content
    }
    return copied;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
