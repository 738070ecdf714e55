// What every call gets, whatever the transport: the workspace, what drives runs, who is calling,
// and the base URL links in answers use.
import type { Trigger } from '../../shared/types.js';
import type { RunDriver } from '../executor/run-driver.js';
import type { Workspace } from '../workspace/workspace.js';

/**
 * A bearer token (scripts, CI), the studio's session (HTTP cookie or the desktop's IPC), the
 * command line, or the azureml package over the stdio bridge. The last two run on this machine
 * as the workspace's user: they may name files anywhere (a pipeline file outside pipelines/).
 */
export type Caller =
  | { kind: 'token'; name: string }
  | { kind: 'session'; user?: string }
  | { kind: 'cli'; user: string | null }
  | { kind: 'sdk'; script: string; user: string | null };

export interface CallContext {
  ws: Workspace;
  runs: RunDriver;
  caller: Caller;
  /** e.g. http://127.0.0.1:8765: where links in answers point (the request's own URL over HTTP). */
  baseUrl: string;
}

export const isLocal = (c: Caller): boolean => c.kind === 'cli' || c.kind === 'sdk';

/** What a run started by this caller records as its trigger (DESIGN.md section 8). */
export function triggerFor(c: Caller): Trigger {
  switch (c.kind) {
    case 'token':
      return { kind: 'rest', token: c.name };
    case 'cli':
      return { kind: 'cli', user: c.user };
    case 'sdk':
      return { kind: 'sdk', script: c.script, user: c.user };
    default:
      return { kind: 'manual', ...(c.user ? { user: c.user } : {}) };
  }
}
