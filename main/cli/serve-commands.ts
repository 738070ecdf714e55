// `millrace serve`: the REST API (and later the web UI, schedules and watchers), headless.
import type { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { ensureRunner, startClaiming } from '../executor/run-claim.js';
import { isLoopback } from '../server/guard.js';
import { acquireOwnerLock } from '../schedules/owner-lock.js';
import { recordServingUrl } from '../schedules/serving-url.js';
import { startScheduler } from '../schedules/scheduler.js';
import { bindHost, startServer } from '../server/server.js';
import { createWebUi } from '../server/ui.js';
import { openWorkspace, type GlobalOptions } from './context.js';
import { info, out, printJson } from './output.js';

const collect = (v: string, prev: string[]) => [...prev, v];

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the REST API of the workspace (Azure ML compatible PipelineSubmit endpoints + /api/v1)')
    .option('--host <host>', 'address to listen on (default: millrace.yml server.host, 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free one (default: millrace.yml server.port, 8765)')
    .option('--allow-remote', 'allow listening on a non-loopback address (e.g. --host 0.0.0.0): other machines can then reach the API')
    .option('--allowed-host <name>', 'another host name clients may use to reach this server (repeatable)', collect, [])
    .option('--max-parallel-runs <n>', 'pipeline runs driven at once; later submits wait (default: CPU cores)')
    .option('--no-schedules', 'do not fire schedules nor watch data (another process owns them)')
    .option('--json', 'print {url, host, port, workspace, loginUrl} as JSON once listening')
    .action(async (o: { host?: string; port?: string; allowRemote?: boolean; allowedHost: string[]; maxParallelRuns?: string; schedules: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const port = o.port === undefined ? undefined : Number(o.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UserError(`--port: expected 0..65535, got '${o.port}'`, 'bad_usage');
      const maxParallelRuns = o.maxParallelRuns === undefined ? undefined : Number(o.maxParallelRuns);
      if (maxParallelRuns !== undefined && (!Number.isInteger(maxParallelRuns) || maxParallelRuns < 1)) {
        throw new UserError(`--max-parallel-runs: expected a positive integer, got '${o.maxParallelRuns}'`, 'bad_usage');
      }
      const ws = openWorkspace(g);
      // Bad flags are reported as such before anything else is checked or taken.
      try {
        bindHost(ws, o);
      } catch (e) {
        ws.close();
        throw e;
      }
      // One owner per workspace fires its schedules: a second serve is refused before it listens (exit 2).
      let releaseLock: (() => void) | undefined;
      if (o.schedules) {
        try {
          releaseLock = acquireOwnerLock(ws);
        } catch (e) {
          ws.close();
          throw e;
        }
      }
      let server;
      let serverUrl = '';
      // With --json, stdout holds one document: later lines go to stderr.
      const ui = createWebUi({ onNewLogin: (path) => (g.json ? info : out)(`New login link for the studio (the last one was used or expired): ${serverUrl}${path}`) });
      try {
        server = await startServer(ws, { host: o.host, port, allowRemote: o.allowRemote, allowedHosts: o.allowedHost, maxParallelRuns, ui, session: ui.session });
      } catch (e) {
        releaseLock?.();
        ws.close();
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UserError(`cannot listen: ${(e as Error).message} (is another millrace serve running? choose another --port)`, 'bad_usage');
        if ((e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen: ${(e as Error).message}`, 'bad_usage');
        throw e;
      }
      serverUrl = server.url;
      // What `publish`, `endpoint list` and SDK links print while this serve owns the workspace.
      if (releaseLock) recordServingUrl(ws, server.url);
      if (!isLoopback(server.host)) {
        info(`WARNING: listening on ${server.host}: any machine that can reach this one can call the API (with a valid token). Tokens travel in clear text over plain HTTP.`);
      }
      const scheduler = o.schedules ? startScheduler(ws, server.runs) : undefined;
      // The owner of the workspace drives the runs that wait for one (docs/compute.md).
      const stopClaiming = o.schedules ? startClaiming(ws, (runId) => server.runs.adopt(runId)) : undefined;
      // The UI's login link, printed ready to click (as Jupyter does): it sets a session cookie.
      const loginUrl = `${server.url}${ui.loginPath}`;
      if (g.json) printJson({ url: server.url, host: server.host, port: server.port, workspace: ws.dir, loginUrl });
      else {
        out(`Millrace is serving workspace ${ws.dir} at ${server.url}`);
        out(`  Open the studio: ${loginUrl}  (opens one browser, within 10 minutes)`);
        out(`  API: ${server.url}/api/v1   published pipelines: ${server.url}/pipelines/v1.0/PipelineRuns/...`);
        out('  Requests need "Authorization: Bearer <token>" (millrace token create NAME). Ctrl-C stops.');
      }
      await new Promise<void>((resolveStop) => {
        let stopping = false;
        const stop = () => {
          if (stopping) process.exit(130);
          stopping = true;
          const { running, waiting } = server.runs.counts;
          info(`Stopping${running + waiting ? `: canceling ${running + waiting} run(s)` : ''}...`);
          stopClaiming?.();
          Promise.resolve(scheduler?.dispose())
            .then(() => server.close())
            .finally(() => {
              releaseLock?.();
              try {
                // Runs handed on with their Slurm jobs get a runner at once, not at the next command.
                ensureRunner(ws, 0);
              } catch {
                /* the next millrace command starts one */
              }
            })
            .then(resolveStop, (e) => {
              info(`millrace: error while stopping: ${(e as Error).message}`);
              resolveStop();
            });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      ws.close();
    });
}
