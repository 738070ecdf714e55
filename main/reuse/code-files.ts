// Which files are a step's code: its source directory minus ignored files (DESIGN.md section 3,
// AZUREML.md section 10.4d).
import type IgnoreModule from 'ignore';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

// Loaded on first use: commands that never look at code (`runs list`) skip it (issue 13).
const load = createRequire(import.meta.url);
let ignoreFn: typeof IgnoreModule | undefined;
const ignore = (): ReturnType<typeof IgnoreModule> => (ignoreFn ??= load('ignore') as typeof IgnoreModule)();

/** Never code: VCS data, interpreter caches (Python writes them while running), editor litter. */
const ALWAYS_IGNORED = ['.git/', '__pycache__/', '*.pyc', '.ipynb_checkpoints/', '.DS_Store', '.millrace/'];

/** Files whose patterns say what is not code, at the root of a source directory. */
export const IGNORE_FILES = ['.gitignore', '.millraceignore', '.amlignore'];

/**
 * A filter over `sourceDir`: honours .gitignore, .millraceignore and .amlignore at its root,
 * leaves out its top-level outputs/ and logs/ (what a step wrote, AZUREML.md section 10.4d), and
 * never includes the workspace's own millrace.db, runs/, datastores/, snapshots/, models/, .millrace/.
 */
export function codeFilter(sourceDir: string, workspaceDir: string): (rel: string, isDir: boolean) => boolean {
  const ig = ignore().add(ALWAYS_IGNORED).add(['/outputs/', '/logs/']);
  for (const f of IGNORE_FILES) {
    const p = join(sourceDir, f);
    if (existsSync(p)) ig.add(readFileSync(p, 'utf8'));
  }
  const wsRel = relative(resolve(sourceDir), resolve(workspaceDir)).split(sep).join('/');
  const excluded = new Set<string>();
  if (!wsRel.startsWith('..')) {
    const prefix = wsRel ? `${wsRel}/` : '';
    for (const x of ['millrace.db', 'millrace.db-wal', 'millrace.db-shm', 'runs', 'datastores', 'snapshots', 'models', 'published', '.millrace']) excluded.add(prefix + x);
  }
  return (rel, isDir) => !excluded.has(rel) && !ig.ignores(isDir ? `${rel}/` : rel);
}
