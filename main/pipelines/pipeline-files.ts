// The pipeline files of a workspace: where a caller's file name leads, and the validated listing
// the studio shows (pipelines/ a few folders deep; one bad file never breaks the listing).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { PipelineFileDetail } from '../../shared/api/records.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { validatePipeline } from '../../shared/pipeline/validate.js';
import { confinedFile, isInside } from '../workspace/confined-path.js';
import type { Workspace } from '../workspace/workspace.js';

export const pipelinesDir = (ws: Workspace): string => join(ws.dir, 'pipelines');

/**
 * The pipeline file a caller names. Remote callers (the API, the studio) reach only files under the
 * workspace's pipelines/ folder (a leading 'pipelines/' is accepted, and the absolute path a run
 * record holds when it lies there). Local callers (the CLI, the SDK on this machine) may name any
 * file: relative to the current folder, else to the workspace.
 */
export function resolvePipelineFile(ws: Workspace, file: string, local = false): string {
  if (local) {
    const abs = isAbsolute(file) || existsSync(file) ? resolve(file) : existsSync(join(ws.dir, file)) ? join(ws.dir, file) : resolve(file);
    if (!existsSync(abs)) throw new NotFoundError(`no pipeline file '${file}' (looked in ${process.cwd()} and ${ws.dir})`);
    return abs;
  }
  const inside = isAbsolute(file) && isInside(pipelinesDir(ws), resolve(file)) ? relative(pipelinesDir(ws), resolve(file)) : file;
  const rel = inside.replace(/\\/g, '/').replace(/^pipelines\//, '');
  if (!/\.ya?ml$/i.test(rel)) throw new NotFoundError(`no pipeline file '${file}' (pipeline files end in .yml or .yaml)`);
  return confinedFile(pipelinesDir(ws), rel, 'pipeline file');
}

/** *.yml / *.yaml under pipelines/, a few folders deep, hidden folders skipped. */
export function listPipelineFiles(ws: Workspace, depth = 4): string[] {
  const root = pipelinesDir(ws);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string, d: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory() && d < depth) walk(join(dir, e.name), d + 1);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(join(dir, e.name));
    }
  };
  walk(root, 0);
  return out;
}

/** Written by the azureml package (AZUREML.md section 10.4b): pipelines/sdk/<name>-<hash8>.yml. */
const isGenerated = (rel: string): boolean => rel.startsWith('sdk/');

/** A pipeline file with its text, validated; errors read pipelines/x.yml:LINE:COL. */
export function describePipelineFile(ws: Workspace, abs: string): PipelineFileDetail {
  const rel = relative(pipelinesDir(ws), abs).split(sep).join('/');
  const shown = `pipelines/${rel}`;
  const invalid = (base: Pick<PipelineFileDetail, 'file' | 'generated' | 'text' | 'modifiedAt'>, errors: string[]): PipelineFileDetail =>
    ({ ...base, name: null, description: null, valid: false, errors, parameters: {}, steps: [], dependsOn: {}, stepSpecs: {} });
  let base: Pick<PipelineFileDetail, 'file' | 'generated' | 'text' | 'modifiedAt'>;
  try {
    base = { file: rel, generated: isGenerated(rel), text: readFileSync(abs, 'utf8'), modifiedAt: statSync(abs).mtime.toISOString() };
  } catch (e) {
    // Gone or unreadable since the folder was listed: that file is in error, not the listing.
    return invalid({ file: rel, generated: isGenerated(rel), text: '', modifiedAt: new Date(0).toISOString() }, [`${shown}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  try {
    const p = validatePipeline(shown, base.text, ws.names());
    return { ...base, name: p.name, description: p.spec.description ?? null, valid: true, errors: [], parameters: p.spec.parameters ?? {}, steps: p.order,
      dependsOn: Object.fromEntries([...p.graph.deps].map(([k, v]) => [k, [...v]])), stepSpecs: p.spec.steps };
  } catch (e) {
    if (e instanceof UserError) return invalid(base, e.details.length ? e.details : [e.message]);
    // A bug met on one file is shown on that file: the listing of the others still answers.
    return invalid(base, [`${shown}: internal error while validating this file: ${(e as Error).message}`]);
  }
}
