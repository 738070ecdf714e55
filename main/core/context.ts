// What every API handler gets: the workspace, the run manager, who is calling, and the URL they reached us on.
import type { Trigger } from '../../shared/types.js';
import type { RunManager } from '../executor/run-manager.js';
import type { Workspace } from '../workspace/workspace.js';

/** A bearer token (scripts, CI), or the UI's session (added by the UI issue through ServerOptions.session). */
export type Caller = { kind: 'token'; name: string } | { kind: 'session'; user?: string };

export interface CallContext {
  ws: Workspace;
  runs: RunManager;
  caller: Caller;
  /** e.g. http://127.0.0.1:8765: the scheme, host and port this request came in on. */
  baseUrl: string;
}

/** What a run started by this caller records as its trigger (DESIGN.md section 8). */
export const triggerFor = (c: Caller): Trigger =>
  c.kind === 'token' ? { kind: 'rest', token: c.name } : { kind: 'manual', ...(c.user ? { user: c.user } : {}) };
