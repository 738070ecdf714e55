// Where a compiled SDK spec is written (AZUREML.md section 10.4b): pipelines/sdk/<name>-<hash8>.yml,
// the spec verbatim as YAML. The same spec is the same file: an existing one is not rewritten.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../shared/errors.js';
import { pipelinesDir } from '../pipelines/pipeline-files.js';
import type { Workspace } from '../workspace/workspace.js';
import { specHash8, specYaml } from './compiled-spec.js';

export const SDK_PIPELINES = 'sdk';

/** A file stem the package sent ("pipeline", "notebook", "sdk"): one safe file-name segment. */
function stem(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '').slice(0, 100);
  if (!s) throw new UserError(`name: '${name}' gives no usable file name (expected the script's file stem)`, 'invalid_input');
  return s;
}

export const specFilePath = (ws: Workspace, name: string, spec: Record<string, unknown>): string =>
  join(pipelinesDir(ws), SDK_PIPELINES, `${stem(name)}-${specHash8(spec)}.yml`);

/** Writes the spec to `file` unless it is there already (atomically: a reader never sees half a file). */
export function writeSpecFile(file: string, spec: Record<string, unknown>): void {
  if (existsSync(file)) return;
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    writeFileSync(tmp, `# Compiled by Millrace's azureml package; regenerated, not edited (docs/azureml.md).\n${specYaml(spec)}`);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
