// The immutable copy a published pipeline runs from: its definition file plus the code it needs
// (each step's source directory minus ignored files, or its script file), laid out with the same
// relative paths so the copy resolves exactly as the original did.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../../shared/errors.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import { codeFilter } from '../reuse/code-files.js';
import { tooBroad, tooBroadMessage } from '../reuse/folder-scope.js';

export const PUBLISHED_DIR = 'published';

interface CopyItem {
  abs: string;
  dir: boolean;
  filter?: (rel: string, isDir: boolean) => boolean;
}

const hasExpr = (s: string) => s.includes('${{');

/** What to copy for a pipeline: its source directories, and the files steps without one name. */
export function codeItems(pipeline: ValidPipeline, workspaceDir: string): CopyItem[] {
  const { spec } = pipeline;
  const pipelineDir = dirname(resolve(pipeline.file));
  const items = new Map<string, CopyItem>();
  for (const [id, s] of Object.entries(spec.steps)) {
    const srcRel = s.source_directory ?? spec.defaults?.source_directory;
    if (srcRel !== undefined) {
      const dir = resolve(pipelineDir, srcRel);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new UserError(`step '${id}': source_directory ${dir} is not a folder`, 'invalid_input');
      }
      const broad = tooBroad(dir, workspaceDir);
      if (broad) throw new UserError(tooBroadMessage(`step '${id}': source_directory`, dir, broad), 'invalid_input');
      // A source directory never holds the workspace (tooBroad), so never its published/ copies either.
      if (!items.has(dir)) items.set(dir, { abs: dir, dir: true, filter: codeFilter(dir, workspaceDir) });
      continue;
    }
    // No source directory: the step's code is its script (python) or the files its argv names.
    const named = s.type === 'python' ? [s.script!] : [...(s.command ?? []), ...(s.arguments ?? [])].map(String);
    for (const n of named) {
      if (hasExpr(n) || n.startsWith('-')) continue;
      const abs = resolve(pipelineDir, n);
      if (existsSync(abs) && statSync(abs).isFile()) items.set(abs, { abs, dir: false });
      else if (s.type === 'python') throw new UserError(`step '${id}': script ${abs} does not exist`, 'invalid_input');
    }
  }
  return [...items.values()];
}

function commonRoot(paths: string[]): string {
  let root = paths[0];
  for (const p of paths.slice(1)) {
    while (root !== dirname(root) && relative(root, p).startsWith('..')) root = dirname(root);
  }
  return root;
}

/** Copies the files of `src` that `filter` keeps; returns how many. */
export function copyTree(src: string, dst: string, filter: ((rel: string, isDir: boolean) => boolean) | undefined, rel = ''): number {
  mkdirSync(dst, { recursive: true });
  let n = 0;
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    const from = join(src, e.name);
    // Symlinks: a linked file is copied as a file; a linked folder is left out (it may loop).
    const st = e.isSymbolicLink() ? (existsSync(from) ? statSync(from) : undefined) : lstatSync(from);
    if (!st) continue;
    const isDir = st.isDirectory() && !e.isSymbolicLink();
    if (filter && !filter(childRel, isDir)) continue;
    if (isDir) n += copyTree(from, join(dst, e.name), filter, childRel);
    else if (st.isFile()) {
      copyFileSync(from, join(dst, e.name));
      n++;
    }
  }
  return n;
}

/** Copies the pipeline and its code under `dest`; returns the copy's pipeline file relative to `dest`. */
export function snapshotPipeline(pipeline: ValidPipeline, workspaceDir: string, dest: string): { pipelineFile: string; files: number } {
  const file = resolve(pipeline.file);
  const items = codeItems(pipeline, workspaceDir);
  const root = commonRoot([dirname(file), ...items.map((i) => (i.dir ? i.abs : dirname(i.abs)))]);
  const target = (abs: string) => join(dest, relative(root, abs));
  let files = 1;
  mkdirSync(dirname(target(file)), { recursive: true });
  copyFileSync(file, target(file));
  for (const i of items) {
    if (i.dir) files += copyTree(i.abs, target(i.abs), i.filter);
    else {
      mkdirSync(dirname(target(i.abs)), { recursive: true });
      copyFileSync(i.abs, target(i.abs));
      files++;
    }
  }
  return { pipelineFile: relative(dest, target(file)).split(sep).join('/'), files };
}
