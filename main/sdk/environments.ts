// Environments of the azureml package (docs/bridge.md "sdk/environment-*"): registered definitions,
// versioned when they change, next to millrace.yml's environments (which Environment.get finds too).
import type { EnvironmentDefinition, SdkEnvironmentRecord } from '../../shared/api/sdk-records.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { ownValue, shown } from '../../shared/safe-text.js';
import type { StoredEnvironment } from '../store/sdk-environment-store.js';
import type { Workspace } from '../workspace/workspace.js';

const registered = (e: StoredEnvironment): SdkEnvironmentRecord => ({
  name: e.name, version: e.version, source: 'sdk', definition: JSON.parse(e.definition) as EnvironmentDefinition, createdAt: new Date(e.createdAt).toISOString(),
});

function fromConfig(ws: Workspace, name: string): SdkEnvironmentRecord | undefined {
  const env = ownValue(ws.config.environments, name);
  return env && { name, version: null, source: 'millrace.yml', python: env.python, definition: null };
}

export function registerEnvironment(ws: Workspace, name: string, definition: EnvironmentDefinition): SdkEnvironmentRecord {
  return registered(ws.store.sdkEnvironments.register(name, canonicalJson(definition)));
}

/** A registered version (default: the latest), else (no version asked) the millrace.yml environment of that name. */
export function getEnvironment(ws: Workspace, name: string, version?: string): SdkEnvironmentRecord {
  if (version !== undefined) {
    if (!/^\d+$/.test(version)) throw new UserError(`version: expected a whole number, got '${shown(version)}'`, 'invalid_input');
    return registered(ws.store.sdkEnvironments.get(name, Number(version)));
  }
  const latest = ws.store.sdkEnvironments.latest(name);
  if (latest) return registered(latest);
  const config = fromConfig(ws, name);
  if (config) return config;
  throw new NotFoundError(`no environment '${shown(name)}' (registered ones and millrace.yml's: ${listEnvironments(ws).map((e) => e.name).join(', ')})`);
}

export function listEnvironments(ws: Workspace): SdkEnvironmentRecord[] {
  return [...Object.keys(ws.config.environments).map((n) => fromConfig(ws, n)!), ...ws.store.sdkEnvironments.listLatest().map(registered)];
}
