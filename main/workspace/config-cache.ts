// millrace.yml, validated once per content: every command opens the workspace, and parsing the
// YAML and checking it costs ~17 ms of a ~250 ms `runs list` (issue 13). The validated document
// is kept in .millrace/config-cache.json under the hash of the file's text and Millrace's build;
// any other text, or another build, validates afresh. A cache that cannot be read or written is
// ignored: it only ever saves time.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceConfigSpec } from '../../shared/pipeline/schema.js';
import { parseWithoutPrototypes } from '../../shared/safe-text.js';
import { millraceBuild } from '../package-root.js';

const CACHE = join('.millrace', 'config-cache.json');


export function cachedConfigSpec(dir: string, text: string, validate: () => WorkspaceConfigSpec): WorkspaceConfigSpec {
  const key = createHash('sha256').update(millraceBuild()).update('\0').update(text).digest('hex');
  const file = join(dir, CACHE);
  try {
    const cached = parseWithoutPrototypes(readFileSync(file, 'utf8')) as { key?: string; spec?: WorkspaceConfigSpec };
    if (cached.key === key && cached.spec) return cached.spec;
  } catch {
    /* none yet, or unreadable: validate */
  }
  // Invalid text throws here, and nothing is cached for it.
  const spec = validate();
  const tmp = `${file}.${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(join(dir, '.millrace'), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, JSON.stringify({ key, spec }));
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
  return spec;
}
