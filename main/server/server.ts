// The HTTP server of `millrace serve` and of the desktop app: startServer(ws, opts) -> {url, close()}.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { UserError } from '../../shared/errors.js';
import { RunManager } from '../executor/run-manager.js';
import type { Workspace } from '../workspace/workspace.js';
import { registerAzureRoutes } from './azure-routes.js';
import type { Caller, CallContext } from '../core/context.js';
import { registerEventsRoute } from './events-route.js';
import { watchForeignRuns } from './foreign-runs.js';
import { allowedHostNames, checkRequest, isLoopback, isWildcard, sendWireError } from './guard.js';
import { registerApiRoutes } from './http-api.js';
import { answerClientError, toWire } from './wire-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the guard: who is calling (null only on public UI paths). */
    caller: Caller | null;
  }
}

export interface ServerOptions {
  /** Default: millrace.yml's server.host (127.0.0.1). */
  host?: string;
  /** Default: millrace.yml's server.port (8765); 0 picks a free port. */
  port?: number;
  /** Needed to listen on anything but a loopback address. */
  allowRemote?: boolean;
  /** More names the Host header may carry (e.g. a DNS name of this machine). */
  allowedHosts?: string[];
  /** JSON bodies larger than this get 413. Default 1 MiB. */
  bodyLimit?: number;
  /** Runs are driven by this manager; by default the server makes (and on close disposes) its own. */
  runs?: RunManager;
  maxParallelRuns?: number;
  /** The studio's session (cookie), an alternative to a bearer token. */
  session?: (req: FastifyRequest) => Caller | null;
  /** The studio's static files; its paths are served without a token. */
  ui?: { register(app: FastifyInstance): void | Promise<void>; isPublic(path: string): boolean };
  /** Poll the store for status changes of runs other processes drive (default every 1000 ms; 0: off). */
  foreignRunsPollMs?: number;
  /** Where internal errors are reported (default: stderr). */
  logError?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  runs: RunManager;
  /** Stops listening, ends event streams, cancels the runs it drives (they end Canceled) and waits for them. */
  close(): Promise<void>;
}

/** The address to listen on; a non-loopback one only when explicitly allowed. */
export function bindHost(ws: Workspace, opts: Pick<ServerOptions, 'host' | 'allowRemote'>): string {
  const host = opts.host ?? ws.config.server.host;
  if (!isLoopback(host) && !opts.allowRemote) {
    throw new UserError(
      `refusing to listen on ${host}: other machines could reach this workspace's API; pass --allow-remote to do it anyway`,
      'bad_usage',
    );
  }
  return host;
}

export async function startServer(ws: Workspace, opts: ServerOptions = {}): Promise<RunningServer> {
  const host = bindHost(ws, opts);
  const requestedPort = opts.port ?? ws.config.server.port;
  const logError = opts.logError ?? ((m: string) => void process.stderr.write(`${m}\n`));
  const ownRuns = !opts.runs;
  const runs = opts.runs ?? new RunManager(ws, { maxParallelRuns: opts.maxParallelRuns });
  let port = requestedPort;

  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // Closing must not wait for event streams: they are ended by close() below.
    forceCloseConnections: true,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
  });
  // JSON bodies only: without this, text/plain would be parsed too. The body is read as UTF-8,
  // so another declared charset is refused rather than misread.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1].toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      done(new UserError(`JSON bodies must be UTF-8; this one says charset=${charset}`, 'unsupported_media_type'), undefined);
      return;
    }
    parseJson(req, body as string, done);
  });

  const guard = {
    allowedHosts: allowedHostNames(host, opts.allowedHosts),
    port: () => port,
    tokens: ws.store.tokens,
    session: opts.session,
    isPublic: opts.ui?.isPublic,
  };
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    req.caller = checkRequest(guard, req);
  });
  app.setErrorHandler((err, req, reply) => {
    const { status, body, internal } = toWire(err);
    if (internal) logError(`millrace serve: internal error on ${req.method} ${req.url.split('?')[0]}: ${(err as Error).stack ?? err}`);
    sendWireError(reply, status, body);
  });
  app.setNotFoundHandler((req, reply) => {
    sendWireError(reply, 404, { error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  const contextOf = (req: FastifyRequest): CallContext => {
    const caller = req.caller;
    if (!caller) throw new UserError('authentication required', 'unauthorized');
    return { ws, runs, caller, baseUrl: `${req.protocol}://${req.headers.host}` };
  };
  registerApiRoutes(app, contextOf);
  registerAzureRoutes(app, contextOf);
  const endStreams = registerEventsRoute(app, runs);
  if (opts.ui) await opts.ui.register(app);

  try {
    await app.listen({ host, port: requestedPort });
  } catch (e) {
    endStreams();
    await app.close();
    if (ownRuns) await runs.dispose();
    throw e;
  }
  const addr = app.server.address();
  port = typeof addr === 'object' && addr ? addr.port : requestedPort;
  const urlHost = isWildcard(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const stopWatching = opts.foreignRunsPollMs === 0 ? () => {} : watchForeignRuns(ws, runs, opts.foreignRunsPollMs ?? 1000);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    runs,
    close: () =>
      (closing ??= (async () => {
        stopWatching();
        endStreams();
        await app.close();
        if (ownRuns) await runs.dispose();
      })()),
  };
}
