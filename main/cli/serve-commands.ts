// `millrace serve`: the core with its HTTP transport, the studio, schedules and watchers, headless.
import type { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { info, out, printJson } from './output.js';
import { type GlobalOptions, openWorkspace } from './session.js';

const collect = (v: string, prev: string[]) => [...prev, v];

function intFlag(flag: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < min || n > max) throw new UserError(`${flag}: expected a whole number from ${min} to ${max}, got '${v}'`, 'bad_usage');
  return n;
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the workspace: REST API (Azure ML compatible PipelineSubmit endpoints + /api/v1), the studio, schedules')
    .option('--host <host>', 'address to listen on (default: millrace.yml server.host, 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free one (default: millrace.yml server.port, 8765)')
    .option('--allow-remote', 'allow listening on a non-loopback address (e.g. --host 0.0.0.0): other machines can then reach the API')
    .option('--allowed-host <name>', 'another host name clients may use to reach this server (repeatable)', collect, [])
    .option('--max-parallel-runs <n>', 'pipeline runs driven at once; later submits wait (default: CPU cores)')
    .option('--no-schedules', 'do not fire schedules nor watch data (another process owns them)')
    .option('--json', 'print {url, host, port, workspace, loginUrl} as JSON once listening')
    .action(async (o: { host?: string; port?: string; allowRemote?: boolean; allowedHost: string[]; maxParallelRuns?: string; schedules: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const port = intFlag('--port', o.port, 0, 65535);
      const maxParallelRuns = intFlag('--max-parallel-runs', o.maxParallelRuns, 1, 10_000);
      // Created when default, recovered, waiting runs given a runner: as every command opens it.
      openWorkspace(g).close();
      // The server, the studio and the scheduler load here: other commands never pay for them (issue 13).
      const [{ startCore }, { schedulerService }, { isLoopback }, { createWebUi }, { resolveWorkspaceDir }] = await Promise.all([
        import('../core/host.js'), import('../core/services.js'), import('../server/guard.js'), import('../server/ui.js'), import('../workspace/workspace.js'),
      ]);
      let serverUrl = '';
      // With --json, stdout holds one document: later lines go to stderr.
      const ui = createWebUi({ onNewLogin: (path) => (g.json ? info : out)(`New login link for the studio (the last one was used or expired): ${serverUrl}${path}`) });
      const core = await startCore(resolveWorkspaceDir(g.workspace).dir, {
        server: { host: o.host, port, allowRemote: o.allowRemote, allowedHosts: o.allowedHost, ui, session: ui.session },
        // One owner per workspace fires its schedules: a second serve is refused before it listens (exit 2).
        ownerLock: o.schedules ? 'millrace serve' : undefined,
        maxParallelRuns,
        services: o.schedules ? [schedulerService] : [],
      });
      const server = core.server!;
      serverUrl = server.url;
      if (!isLoopback(server.host)) {
        info(`WARNING: listening on ${server.host}: any machine that can reach this one can call the API (with a valid token). Tokens travel in clear text over plain HTTP.`);
      }
      // The studio's login link, printed ready to click (as Jupyter does): it sets a session cookie.
      const loginUrl = `${server.url}${ui.loginPath}`;
      if (g.json) printJson({ url: server.url, host: server.host, port: server.port, workspace: core.ws.dir, loginUrl });
      else {
        out(`Millrace is serving workspace ${core.ws.dir} at ${server.url}`);
        out(`  Open the studio: ${loginUrl}  (opens one browser, within 10 minutes)`);
        out(`  API: ${server.url}/api/v1   published pipelines: ${server.url}/pipelines/v1.0/PipelineRuns/...`);
        out('  Requests need "Authorization: Bearer <token>" (millrace token create NAME). Ctrl-C stops.');
      }
      await new Promise<void>((resolveStop) => {
        let stopping = false;
        const stop = () => {
          if (stopping) process.exit(130);
          stopping = true;
          const n = core.inFlight();
          info(`Stopping${n ? `: canceling ${n} run(s)` : ''}...`);
          core.dispose().then(resolveStop, (e) => {
            info(`millrace: error while stopping: ${(e as Error).message}`);
            resolveStop();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
