// Which files are a step's code: its source directory minus ignored files (DESIGN.md section 3,
// AZUREML.md section 10.4d).
import ignore from 'ignore';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** Never code: VCS data, interpreter caches (Python writes them while running), editor litter. */
const ALWAYS_IGNORED = ['.git/', '__pycache__/', '*.pyc', '.ipynb_checkpoints/', '.DS_Store', '.millrace/'];
/** What a step writes in its working copy and hands over as artifacts: never its code (top level only). */
const ARTIFACT_FOLDERS = ['/outputs/', '/logs/'];
const IGNORE_FILES = ['.gitignore', '.millraceignore', '.amlignore'];
/** The workspace's own folders and files, when a source directory holds the workspace's root. */
const WORKSPACE_OWN = ['millrace.db', 'millrace.db-wal', 'millrace.db-shm', 'runs', 'datastores', 'snapshots', 'models', 'published'];

/**
 * A filter for ContentHasher.hashPath over `sourceDir`: honours .gitignore, .millraceignore and
 * .amlignore at its root, leaves out its top-level outputs/ and logs/, and never includes the
 * workspace's own database, runs/, datastores/, snapshots/, models/ or published/.
 */
export function codeFilter(sourceDir: string, workspaceDir: string): (rel: string, isDir: boolean) => boolean {
  const ig = ignore().add(ALWAYS_IGNORED).add(ARTIFACT_FOLDERS);
  for (const f of IGNORE_FILES) {
    const p = join(sourceDir, f);
    if (existsSync(p)) ig.add(readFileSync(p, 'utf8'));
  }
  const wsRel = relative(resolve(sourceDir), resolve(workspaceDir)).split(sep).join('/');
  const excluded = new Set<string>();
  if (!wsRel.startsWith('..')) {
    const prefix = wsRel ? `${wsRel}/` : '';
    for (const x of WORKSPACE_OWN) excluded.add(prefix + x);
  }
  return (rel, isDir) => !excluded.has(rel) && !ig.ignores(isDir ? `${rel}/` : rel);
}
