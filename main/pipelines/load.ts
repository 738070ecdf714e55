// Loading a pipeline file: read it and validate it against the workspace (DESIGN.md section 3).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../shared/errors.js';
import type { ValidPipeline } from '../../shared/pipeline/validate.js';
import { validateKeepingExtensions } from '../sdk/spec-extensions.js';
import type { Workspace } from '../workspace/workspace.js';

export function loadPipeline(ws: Workspace, file: string): ValidPipeline {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read pipeline file ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'not_found');
  }
  return validateKeepingExtensions(abs, text, ws.names());
}
