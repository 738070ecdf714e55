// Where this workspace is served: the URL its owner (`millrace serve`, the desktop app) listens on,
// recorded with the owner lock once it listens — so what the CLI prints and links point at the port
// it really got — else millrace.yml's server.host and server.port.
import { configuredBaseUrl } from '../publish/records.js';
import { isSameProcessAlive, selfIdentity } from '../executor/process-identity.js';
import type { Workspace } from '../workspace/workspace.js';

/** Called by the owner once it listens; a process that does not hold the lock changes nothing. */
export function recordServingUrl(ws: Workspace, url: string): void {
  const me = selfIdentity();
  ws.store.schedules.setOwnerUrl(me.pid, me.start, url.replace(/\/+$/, ''));
}

/** The base URL of the API and studio (no trailing slash). */
export function servingBaseUrl(ws: Workspace): string {
  const owner = ws.store.schedules.owner();
  if (owner?.url && isSameProcessAlive(owner.pid, owner.start)) return owner.url;
  return configuredBaseUrl(ws.config);
}
