// The core the desktop app hosts, as `millrace serve` does: the workspace's store, the run
// manager, the REST server (published endpoints, /api/v1) and the services (schedules and
// watchers). Electron-free: tests start and stop it in plain Node. dispose() stops the services
// first (no new runs), then the server, which cancels the runs in flight (they end Canceled) —
// except runs with Slurm jobs in flight, which are handed to a `millrace runner`.
import { userInfo } from 'node:os';
import { UserError } from '../../shared/errors.js';
import type { RunManager } from '../executor/run-manager.js';
import type { CallContext } from '../core/context.js';
import { ensureRunner } from '../executor/run-claim.js';
import { startServer, type RunningServer, type ServerOptions } from '../server/server.js';
import { initWorkspace, Workspace } from '../workspace/workspace.js';

/** A long-lived part of the core, started with the workspace; returns its disposer (STYLE.md habit 6). */
export type CoreService = (core: { ws: Workspace; runs: RunManager; url: string }) => Promise<() => unknown> | (() => unknown);

export interface CoreOptions {
  /** Create the workspace (with the sample) when the folder holds none. */
  create?: boolean;
  server?: Omit<ServerOptions, 'runs'>;
  services?: CoreService[];
  /** Warnings (port taken, a service that could not start): shown, not fatal. */
  warn?: (message: string) => void;
}

export interface Core {
  ws: Workspace;
  server: RunningServer;
  runs: RunManager;
  /** The context of calls made by the desktop UI (over IPC). */
  context(): CallContext;
  /** Runs waiting or running in this process. */
  inFlight(): number;
  dispose(): Promise<void>;
}

async function listen(ws: Workspace, o: CoreOptions['server'], warn: (m: string) => void): Promise<RunningServer> {
  try {
    return await startServer(ws, o);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || o?.port === 0) throw e;
    // Another app (a `millrace serve`?) has the port: the desktop still works, on another one.
    const server = await startServer(ws, { ...o, port: 0 });
    warn(`port ${o?.port ?? ws.config.server.port} is in use; the REST API of this workspace listens on ${server.url} instead`);
    return server;
  }
}

export async function startCore(dir: string, o: CoreOptions = {}): Promise<Core> {
  const warn = o.warn ?? ((m: string) => void process.stderr.write(`millrace: ${m}\n`));
  if (o.create) initWorkspace(dir);
  const ws = Workspace.open(dir);
  let server: RunningServer;
  try {
    server = await listen(ws, o.server, warn);
  } catch (e) {
    ws.close();
    throw e;
  }
  const stops: Array<() => unknown> = [];
  for (const service of o.services ?? []) {
    try {
      stops.push(await service({ ws, runs: server.runs, url: server.url }));
    } catch (e) {
      warn(e instanceof UserError ? e.message : `a service could not start: ${(e as Error).stack ?? e}`);
    }
  }
  let user = 'desktop';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry: keep the generic name */
  }
  let disposing: Promise<void> | undefined;
  return {
    ws,
    server,
    runs: server.runs,
    context: () => ({ ws, runs: server.runs, caller: { kind: 'session', user }, baseUrl: server.url }),
    inFlight: () => server.runs.counts.running + server.runs.counts.waiting,
    dispose: () =>
      (disposing ??= (async () => {
        for (const stop of stops.reverse()) {
          try {
            await stop();
          } catch (e) {
            warn(`a service failed to stop: ${(e as Error).message}`);
          }
        }
        await server.close();
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
