// The workspace: server info, pipeline files (validated), datastores, datasets, tokens.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { HandlerMap } from '../../../shared/api/contract.js';
import type { PipelineFileDetail } from '../../../shared/api/records.js';
import { UserError } from '../../../shared/errors.js';
import { validatePipeline } from '../../../shared/pipeline/validate.js';
import { packageRoot } from '../../package-root.js';
import type { Workspace } from '../../workspace/workspace.js';
import { datastoreFile, listFolder, previewFile } from '../../datastores/browse.js';
import { registerDataset } from '../../datastores/register-dataset.js';
import type { CallContext } from '../context.js';
import { pipelineFile, pipelinesDir } from './lookup.js';

let version: string | undefined;
const millraceVersion = (): string => (version ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string);

/** *.yml / *.yaml under pipelines/, a few folders deep, hidden folders skipped. */
function pipelineFiles(root: string, depth = 4): string[] {
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

function describePipeline(ws: Workspace, abs: string): PipelineFileDetail {
  const rel = relative(pipelinesDir(ws), abs).split(sep).join('/');
  // Named as the workspace sees it, so errors read pipelines/x.yml:LINE:COL.
  const shown = `pipelines/${rel}`;
  const invalid = (base: Pick<PipelineFileDetail, 'file' | 'text' | 'modifiedAt'>, errors: string[]): PipelineFileDetail =>
    ({ ...base, name: null, description: null, valid: false, errors, parameters: {}, steps: [], dependsOn: {}, stepSpecs: {} });
  let base: Pick<PipelineFileDetail, 'file' | 'text' | 'modifiedAt'>;
  try {
    base = { file: rel, text: readFileSync(abs, 'utf8'), modifiedAt: statSync(abs).mtime.toISOString() };
  } catch (e) {
    // Gone or unreadable since the folder was listed: that file is in error, not the listing.
    return invalid({ file: rel, text: '', modifiedAt: new Date(0).toISOString() }, [`${shown}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
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

export const workspaceHandlers = {
  'server/info': (_a, { ws, baseUrl }) => ({ name: 'millrace' as const, version: millraceVersion(), workspace: ws.dir, url: baseUrl }),

  'pipelines/list': (_a, { ws }) =>
    pipelineFiles(pipelinesDir(ws)).map((f) => {
      const { text: _text, ...record } = describePipeline(ws, f);
      return record;
    }),

  'pipelines/get': (a, { ws }) => describePipeline(ws, pipelineFile(ws, a.file)),

  'datastores/list': (_a, { ws }) =>
    Object.entries(ws.config.datastores).map(([name, d]) => ({ name, path: d.path, exists: existsSync(d.path) })),

  'compute/list': (_a, { ws }) =>
    Object.entries(ws.config.compute).map(([name, c]) =>
      c.type === 'local'
        ? { name, type: c.type, maxConcurrency: c.maxConcurrency, cpus: c.cpus, memoryMb: c.memoryMb, gpus: c.gpus }
        : { name, type: c.type, maxConcurrency: c.maxConcurrency, partition: c.partition },
    ),

  'datastores/browse': (a, { ws }) => listFolder(ws, a.name, a.path),

  'datastores/preview': (a, { ws }) => previewFile(ws, a.name, a.path, a.lines),

  'datastores/file': (a, { ws }) => datastoreFile(ws, a.name, a.path),

  'datasets/list': (_a, { ws }) => ws.store.datasets.list(),

  'datasets/register': (a, { ws }) => {
    const { record, created } = registerDataset(ws, a);
    return { ...record, created };
  },

  'datasets/get': (a, { ws }) => ws.store.datasets.get(a.name, a.version),

  'tokens/list': (a, { ws }) => ws.store.tokens.list(a.includeRevoked),

  'tokens/create': (a, { ws }) => ws.store.tokens.create(a.name),

  'tokens/revoke': (a, { ws }) => ws.store.tokens.revoke(a.name),
} satisfies Partial<HandlerMap<CallContext>>;
