// The one host of the core: `millrace serve`, the desktop app and tests start it. It opens the
// workspace, makes the run manager, optionally takes the workspace's owner lock and starts the
// HTTP transport, then the services (schedules and watchers, claiming waiting runs). dispose()
// stops them in reverse: services (no new runs), the server, the runs in flight (they end
// Canceled, except runs with Slurm jobs in flight, handed to a `millrace runner`), the lock.
import { userInfo } from 'node:os';
import { UserError } from '../../shared/errors.js';
import { selfIdentity } from '../executor/process-identity.js';
import { ensureRunner } from '../executor/run-claim.js';
import { recoverWorkspace } from '../executor/recovery.js';
import { RunManager } from '../executor/run-manager.js';
import { acquireOwnerLock } from '../schedules/owner-lock.js';
import { bindHost, startServer, type RunningServer, type ServerOptions } from '../server/server.js';
import { initWorkspace, Workspace } from '../workspace/workspace.js';
import type { Caller, CallContext } from './context.js';

/** A long-lived part of the core, started with the workspace; returns its disposer (STYLE.md habit 6). */
export type CoreService = (core: { ws: Workspace; runs: RunManager; url: string }) => Promise<() => unknown> | (() => unknown);

export interface CoreOptions {
  /** Create the workspace (with the sample) when the folder holds none. */
  create?: boolean;
  /** Serve the HTTP API (and the studio, with `ui`). */
  server?: Omit<ServerOptions, 'runs'>;
  /** Listen on a free port, with a warning, when the asked one is taken (the desktop app). */
  portFallback?: boolean;
  /** Take the workspace's owner lock before listening; a live owner makes startCore fail (`millrace serve`). */
  ownerLock?: string;
  maxParallelRuns?: number;
  /** Started after the server; one that fails only warns. */
  services?: CoreService[];
  /** Warnings (port taken, a service that could not start): shown, not fatal. */
  warn?: (message: string) => void;
}

export interface Core {
  ws: Workspace;
  server: RunningServer | undefined;
  runs: RunManager;
  /** The context of calls made by the studio over IPC (a session of this machine's user). */
  context(caller?: Caller): CallContext;
  /** Runs waiting or running in this process. */
  inFlight(): number;
  dispose(): Promise<void>;
}

async function listen(ws: Workspace, o: ServerOptions, fallback: boolean, warn: (m: string) => void): Promise<RunningServer> {
  try {
    return await startServer(ws, o);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && fallback && o.port !== 0) {
      // Another app (a `millrace serve`?) has the port: the desktop still works, on another one.
      const server = await startServer(ws, { ...o, port: 0 });
      warn(`port ${o.port ?? ws.config.server.port} is in use; the REST API of this workspace listens on ${server.url} instead`);
      return server;
    }
    if (code === 'EADDRINUSE') throw new UserError(`cannot listen: ${(e as Error).message} (is another millrace serve running? choose another --port)`, 'bad_usage');
    if (code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen: ${(e as Error).message}`, 'bad_usage');
    throw e;
  }
}

const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'desktop'; // no passwd entry
  }
};

export async function startCore(dir: string, o: CoreOptions = {}): Promise<Core> {
  const warn = o.warn ?? ((m: string) => void process.stderr.write(`millrace: ${m}\n`));
  if (o.create) initWorkspace(dir);
  const ws = Workspace.open(dir);
  try {
    const { deferred } = recoverWorkspace(ws);
    if (deferred) warn(`${deferred}; runs left behind by a millrace process that is gone are recorded once there is space`);
  } catch (e) {
    ws.close();
    throw e;
  }
  const stops: Array<() => unknown> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        warn(`a part of the core failed to stop: ${(e as Error).message}`);
      }
    }
  };
  let runs: RunManager;
  let server: RunningServer | undefined;
  try {
    // Bad flags are reported as such before anything is taken.
    if (o.server) bindHost(ws, o.server);
    // One owner per workspace: a second serve is refused before it listens.
    if (o.ownerLock) stops.push(acquireOwnerLock(ws, o.ownerLock));
    runs = new RunManager(ws, { maxParallelRuns: o.maxParallelRuns });
    const r = runs;
    stops.push(() => r.dispose());
    if (o.server) {
      const s = (server = await listen(ws, { ...o.server, runs: r }, !!o.portFallback, warn));
      stops.push(() => s.close());
    }
  } catch (e) {
    await stopAll();
    ws.close();
    throw e;
  }
  for (const service of o.services ?? []) {
    try {
      stops.push(await service({ ws, runs, url: server?.url ?? '' }));
    } catch (e) {
      warn(e instanceof UserError ? e.message : `a service could not start: ${(e as Error).stack ?? e}`);
    }
  }
  // The owner (this process, when it took the lock) says where it serves: local callers link there.
  if (server) ws.store.schedules.setOwnerUrl(process.pid, selfIdentity().start, server.url);
  const user = osUser();
  let disposing: Promise<void> | undefined;
  return {
    ws,
    server,
    runs,
    context: (caller = { kind: 'session', user }) => ({ ws, runs, caller, baseUrl: server?.url ?? '' }),
    inFlight: () => runs.counts.running + runs.counts.waiting,
    dispose: () =>
      (disposing ??= (async () => {
        await stopAll();
        try {
          // Runs handed on with their Slurm jobs (docs/compute.md) get a runner at once.
          ensureRunner(ws, 0);
        } catch {
          /* the next millrace process starts one */
        }
        ws.close();
      })()),
  };
}
