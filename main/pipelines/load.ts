// Loading a pipeline file: read it and validate it against the workspace (DESIGN.md section 3).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../shared/errors.js';
import { validatePipeline, type ValidPipeline } from '../../shared/pipeline/validate.js';
import type { Workspace } from '../workspace/workspace.js';
import { cachedValidation } from './pipeline-cache.js';

export function loadPipeline(ws: Workspace, file: string): ValidPipeline {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read pipeline file ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'not_found');
  }
  const names = ws.names();
  // Validated pipelines are cached by content in the store: an unchanged file is not parsed again.
  return cachedValidation(ws.store.pipelineCache, abs, text, names, () => validatePipeline(abs, text, names));
}
