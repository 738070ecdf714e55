// What a step reads and leaves (AZUREML.md sections 10.4b and 10.4d): its inputs as the step gets
// them (a path, a folder of links for a glob or several paths, a copy, a dataset id; a link at
// path_on_compute), their content identity for the reuse key, its working copy, and its
// artifacts (./outputs and ./logs of the working copy) collected when it ends.
import { constants, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { DatasetFormat, InputMode } from '../../shared/pipeline/schema.js';
import type { ContentHasher } from '../reuse/content-hasher.js';
import { filesHash, sha256 } from '../reuse/content-hasher.js';
import type { PlannedInput } from './plan.js';

/** One input as the step receives it; `MILLRACE_INPUTS` holds these (minus `value`). */
export interface InputEntry {
  /** The file or folder the data is at (for a glob or several paths: the folder of links). */
  path: string;
  kind: 'pipelineData' | 'file' | 'tabular';
  mode: InputMode;
  datasetId?: string;
  datasetName?: string;
  datasetVersion?: number;
  files?: string[];
  format?: DatasetFormat;
  /** What `${{inputs.NAME}}` renders: the path, the link at path_on_compute, or (direct) the dataset id. */
  value: string;
}

/** A step's inputs, before anything is made on disk: upstream outputs resolved to their folders. */
export function inputEntries(inputs: Record<string, PlannedInput>, upstream: (step: string, output: string) => string | undefined, stepDir: string): Record<string, InputEntry> {
  const out: Record<string, InputEntry> = {};
  for (const [name, inp] of Object.entries(inputs)) {
    if (inp.kind === 'step') {
      const path = upstream(inp.step, inp.output) ?? '';
      const kind = inp.as ?? 'pipelineData';
      out[name] = { path, kind: kind === 'file' && inp.mode !== 'direct' ? 'pipelineData' : kind, mode: inp.mode, ...(inp.format ? { format: inp.format } : {}), value: path };
      continue;
    }
    const linked = inp.path === null || inp.mode === 'download';
    const path = linked ? join(stepDir, 'inputs', name) : inp.path!;
    out[name] = {
      path,
      kind: inp.as,
      mode: inp.mode,
      datasetId: inp.datasetId,
      ...(inp.dataset ? { datasetName: inp.dataset.name, datasetVersion: inp.dataset.version } : {}),
      ...(inp.files ? { files: inp.files } : {}),
      ...(inp.format ? { format: inp.format } : {}),
      value: inp.mode === 'direct' ? inp.datasetId : path,
    };
  }
  return out;
}

/**
 * The content identity of a datastore input: a plain file or folder by its content (cached by
 * identity), a glob or list by its matched files, a path that does not exist (yet) as missing.
 */
export async function pathInputIdentity(inp: Extract<PlannedInput, { kind: 'path' }>, hasher: ContentHasher, hashPath: (p: string) => Promise<string>, signal?: AbortSignal): Promise<string> {
  if (inp.missing) return sha256(`missing\0${inp.patterns.map((p) => `${p.datastore}:${p.relPath}`).join('\n')}`);
  if (inp.path !== null && !inp.files) return hashPath(inp.path);
  const files: { rel: string; hash: string }[] = [];
  for (const f of inp.files ?? []) {
    signal?.throwIfAborted();
    const root = inp.patterns.find((p) => f === p.fixed || f.startsWith(`${p.fixed}${sep}`));
    files.push({ rel: `${root?.datastore ?? ''}:${root ? relative(root.fixed, f).split(sep).join('/') : f}`, hash: await hasher.hashFile(f, undefined, signal) });
  }
  return `${inp.as}:${filesHash(files)}`;
}

/** Links (mount) or copies (download) of an input's files under the step's inputs/<name>/, at their paths relative to their fixed prefix. */
function gather(inp: Extract<PlannedInput, { kind: 'path' }>, to: string, copy: boolean): void {
  mkdirSync(to, { recursive: true });
  if (inp.path !== null && !inp.files) {
    // A single file or folder, downloaded: a copy of it (a folder's content, or the file by its name).
    if (statSync(inp.path).isDirectory()) cpSync(inp.path, to, { recursive: true });
    else copyFileSync(inp.path, join(to, basename(inp.path)));
    return;
  }
  for (const f of inp.files ?? []) {
    const root = inp.patterns.find((p) => f === p.fixed || f.startsWith(`${p.fixed}${sep}`));
    const rel = root && f !== root.fixed ? relative(root.fixed, f) : basename(f);
    const dst = join(to, rel);
    if (existsSync(dst)) continue; // two paths naming one file
    mkdirSync(dirname(dst), { recursive: true });
    if (copy) copyFileSync(f, dst);
    else symlinkSync(f, dst);
  }
}

/** Makes on disk what the step's inputs need: folders of links, copies, and links at path_on_compute. */
export function materializeInputs(inputs: Record<string, PlannedInput>, entries: Record<string, InputEntry>, wd: string): void {
  for (const [name, inp] of Object.entries(inputs)) {
    const e = entries[name];
    if (inp.kind === 'path' && !inp.missing && (inp.path === null || inp.mode === 'download')) gather(inp, e.path, inp.mode === 'download');
    const poc = inp.pathOnCompute;
    if (poc && e.path) {
      const at = join(wd, poc);
      mkdirSync(dirname(at), { recursive: true });
      rmSync(at, { recursive: true, force: true });
      symlinkSync(e.path, at);
      if (e.mode !== 'direct') e.value = at;
    }
  }
}

/** What stays of a working copy: its ./outputs and ./logs merge into the step run's; the rest goes (unless kept). */
export function collectArtifacts(wd: string, stepDir: string, note: (text: string) => void, keep: boolean): void {
  for (const sub of ['outputs', 'logs']) {
    const from = join(wd, sub);
    if (!existsSync(from)) continue;
    const to = join(stepDir, sub);
    const move = (dir: string, rel: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const src = join(dir, e.name);
        const r = rel ? `${rel}/${e.name}` : e.name;
        const dst = join(to, r);
        if (e.isDirectory()) {
          mkdirSync(dst, { recursive: true });
          move(src, r);
          continue;
        }
        mkdirSync(dirname(dst), { recursive: true });
        if (existsSync(dst)) note(`${sub}/${r} written by the step replaces the file uploaded with the same name`);
        try {
          if (keep) copyFileSync(src, dst, constants.COPYFILE_FICLONE);
          else renameSync(src, dst);
        } catch {
          copyFileSync(src, dst);
        }
      }
    };
    move(from, '');
  }
  if (!keep) rmSync(wd, { recursive: true, force: true });
}
