// `millrace publish`: validate, snapshot the definition and its code, record it (and add it to an endpoint).
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../shared/errors.js';
import { checkText, TEXT_LIMITS } from '../../shared/safe-text.js';
import { NAME_PATTERN } from '../../shared/api/calls/fields.js';
import { loadPipeline } from '../pipelines/load.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import type { PublishedPipeline } from '../store/published-store.js';
import type { Workspace } from '../workspace/workspace.js';
import { PUBLISHED_DIR, snapshotPipeline } from './snapshot.js';

export interface PublishOptions {
  name: string;
  version?: string;
  description?: string | null;
  /** Add it to this pipeline endpoint (created when new, with it as its default). */
  endpoint?: string;
  /** With `endpoint`: make it the endpoint's default (default true, as `publish --endpoint`); false keeps the default. */
  makeDefault?: boolean;
  /** With `endpoint`: it must not exist yet (PipelineEndpoint.publish); its description. */
  newEndpoint?: boolean;
  endpointDescription?: string | null;
  /** The default of its submits (null: the definition's own). */
  continueOnStepFailure?: boolean | null;
  /** `file` already loaded and validated (a compiled SDK spec, checked with its extensions set aside). */
  pipeline?: ValidPipeline;
}

/**
 * What a publication will be, checked before anything is written: its version (the next one
 * unless given, never one that exists), its id, and its staging and final folders.
 */
export function newPublication(ws: Workspace, name: string, o: { version?: string; endpoint?: string; newEndpoint?: boolean }) {
  if (o.newEndpoint && o.endpoint && ws.store.published.endpointExists(o.endpoint)) {
    throw new UserError(`a pipeline endpoint named '${o.endpoint}' already exists`, 'already_exists');
  }
  const version = o.version ?? ws.store.published.nextVersion(name);
  if (ws.store.published.exists(name, version)) {
    throw new UserError(`published pipeline '${name}' already has a version '${version}'; published versions never change, publish a new version`, 'conflict');
  }
  const id = randomUUID();
  const root = join(ws.dir, PUBLISHED_DIR);
  return { id, version, root, staging: join(root, `.staging-${id}`), final: join(root, id) };
}

function checkName(what: string, value: string): void {
  if (!NAME_PATTERN.test(value)) {
    throw new UserError(`${what} '${value}' must start with a letter or digit and hold only letters, digits, '_', '.' and '-' (at most 128)`, 'bad_usage');
  }
}

export function publishPipeline(ws: Workspace, file: string, o: PublishOptions): PublishedPipeline {
  checkName('--name', o.name);
  if (o.version !== undefined) checkName('--version', o.version);
  if (o.endpoint !== undefined) checkName('--endpoint', o.endpoint);
  if (o.description) checkText('--description', o.description, TEXT_LIMITS.description, 'bad_usage');
  const pipeline = o.pipeline ?? loadPipeline(ws, file);
  const { id, version, root, staging, final } = newPublication(ws, o.name, o);
  mkdirSync(root, { recursive: true });
  try {
    const snap = snapshotPipeline(pipeline, ws.dir, staging);
    renameSync(staging, final);
    return ws.store.published.insert(
      {
        id, name: o.name, version, description: o.description ?? pipeline.spec.description ?? null, pipeline: pipeline.name,
        sourceFile: pipeline.file, snapshotFile: `${PUBLISHED_DIR}/${id}/${snap.pipelineFile}`, parameters: pipeline.spec.parameters ?? {},
        continueOnStepFailure: o.continueOnStepFailure ?? null,
        stepNames: pipeline.order.map((s) => pipeline.spec.steps[s].display_name ?? s),
      },
      o.endpoint ? { name: o.endpoint, makeDefault: o.makeDefault, description: o.endpointDescription ?? null, mustBeNew: o.newEndpoint } : undefined,
    );
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(final, { recursive: true, force: true });
    throw e;
  }
}
