// The azureml package's API token (AZUREML.md section 10.2, docs/bridge.md "tokens/sdk"): minted once
// per workspace, its secret cached owner-only in .millrace/azureml-sdk.token so every script's
// get_authentication_header() sends one the workspace's serve accepts. Only its SHA-256 is stored,
// as for every token; after a revoke the next call mints a new one.
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../workspace/workspace.js';

export const SDK_TOKEN_NAME = 'azureml-sdk';
export const sdkTokenFile = (ws: Workspace): string => join(ws.dir, '.millrace', 'azureml-sdk.token');

/** The cached secret (the file holds nothing else). */
function cached(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

function writeCache(file: string, token: string): void {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The cached token when it is still active, else a new one. One IMMEDIATE transaction re-reads the
 * cache first: concurrent callers (two scripts, two bridges) get the same secret.
 */
export function sdkToken(ws: Workspace): { name: string; token: string } {
  const file = sdkTokenFile(ws);
  return ws.store.transaction(() => {
    const secret = cached(file);
    const active = secret ? ws.store.tokens.verify(secret) : null;
    if (secret && active) return { name: active, token: secret };
    const taken = new Set(ws.store.tokens.list().map((t) => t.name));
    let name = SDK_TOKEN_NAME;
    for (let i = 2; taken.has(name); i++) name = `${SDK_TOKEN_NAME}-${i}`;
    const minted = ws.store.tokens.create(name);
    writeCache(file, minted.token);
    return minted;
  });
}
