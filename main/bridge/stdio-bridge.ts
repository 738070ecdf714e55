// The fourth transport (docs/bridge.md "Protocol"): JSON lines {id, name, args} on stdin, answered
// {id, result} or {id, error: {code, message, details?}} on stdout, in order, one request at a time.
// The azureml package starts one per Python process; it ends at stdin's EOF after answering what it
// read. It drives no run: its submits are recorded unclaimed for the serve or the runner.
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { UserError } from '../../shared/errors.js';
import type { CallContext } from '../core/context.js';
import { dispatch } from '../core/dispatch.js';
import { ensureRunner } from '../executor/run-claim.js';
import { recoverWorkspace } from '../executor/recovery.js';
import { UnclaimedRuns } from '../executor/unclaimed-runs.js';
import { localBaseUrl } from '../publish/records.js';
import { CONFIG_FILE, initWorkspace, Workspace } from '../workspace/workspace.js';

export interface BridgeIo {
  input: Readable;
  /** Protocol lines only. */
  output: Writable;
  /** `millrace: ...` lines for a person (stderr). */
  warn: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface WireAnswer {
  id: number | null;
  result?: unknown;
  error?: { code: string; message: string; details?: string[] };
}

const osUser = (): string | null => {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
};

/**
 * The workspace of `-w DIR`, opened once (crash recovery runs, waiting runs get a runner), or the
 * error every call is answered with. Only the default workspace is created on first use.
 */
export function openBridgeWorkspace(dir: string, env: NodeJS.ProcessEnv, warn: (l: string) => void): Workspace | UserError {
  const abs = resolve(dir);
  if (!existsSync(join(abs, CONFIG_FILE))) {
    const defaultDir = join(env.HOME || homedir(), 'Millrace');
    if (abs !== resolve(defaultDir)) {
      return new UserError(`${abs} is not a Millrace workspace (no ${CONFIG_FILE}); create one with 'millrace init ${abs}' or set MILLRACE_WORKSPACE`, 'no_workspace');
    }
    initWorkspace(abs);
    warn(`millrace: created the default workspace at ${abs}`);
  }
  const ws = Workspace.open(abs);
  try {
    const { deferred } = recoverWorkspace(ws);
    if (deferred) warn(`millrace: ${deferred}`);
  } catch (e) {
    ws.close();
    throw e;
  }
  try {
    ensureRunner(ws);
  } catch (e) {
    warn(`millrace: could not start a runner for waiting runs: ${(e as Error).message}`);
  }
  return ws;
}

/** A UserError as the wire's error: its message without the detail lines, which travel apart. */
export function errorOnWire(e: UserError): NonNullable<WireAnswer['error']> {
  if (!e.details.length) return { code: e.code, message: e.message };
  const suffix = `\n${e.details.map((d) => `  ${d}`).join('\n')}`;
  const message = e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message;
  return { code: e.code, message, details: e.details };
}

/** The request a line holds, or the error to answer it with. */
function parseRequest(line: string): { id: number; name: string; args: unknown } | WireAnswer {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    return { id: null, error: { code: 'invalid_json', message: `a request line is not JSON: ${(e as Error).message}` } };
  }
  const m = msg as { id?: unknown; name?: unknown; args?: unknown };
  const id = typeof m?.id === 'number' && Number.isSafeInteger(m.id) && m.id > 0 ? m.id : null;
  if (id === null) return { id: null, error: { code: 'invalid_input', message: 'a request needs "id": a positive integer' } };
  if (typeof m.name !== 'string') return { id, error: { code: 'invalid_input', message: 'a request needs "name": the call, e.g. "runs/get"' } };
  if (m.args !== undefined && (m.args === null || typeof m.args !== 'object' || Array.isArray(m.args))) {
    return { id, error: { code: 'invalid_input', message: '"args" must be an object of the call\'s arguments' } };
  }
  return { id, name: m.name, args: m.args ?? {} };
}

/** Serves requests until stdin ends; resolves once every answer is written and the workspace closed. */
export async function serveStdio(dir: string, io: BridgeIo): Promise<void> {
  const env = io.env ?? process.env;
  let opened: Workspace | UserError;
  try {
    opened = openBridgeWorkspace(dir, env, io.warn);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    opened = e;
  }
  const ctx: CallContext | undefined =
    opened instanceof Workspace
      ? {
          ws: opened,
          runs: new UnclaimedRuns(opened),
          caller: { kind: 'sdk', script: env.MILLRACE_SDK_SCRIPT || 'sdk', user: osUser() },
          get baseUrl() {
            return localBaseUrl(opened as Workspace);
          },
        }
      : undefined;
  const send = (a: WireAnswer) => new Promise<void>((res) => io.output.write(`${JSON.stringify(a)}\n`, () => res()));
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const req = parseRequest(line);
      if (!('name' in req)) {
        await send(req);
        continue;
      }
      await send(await answer(req, ctx, opened, io.warn));
    }
  } finally {
    if (opened instanceof Workspace) opened.close();
  }
}

async function answer(req: { id: number; name: string; args: unknown }, ctx: CallContext | undefined, opened: Workspace | UserError, warn: (l: string) => void): Promise<WireAnswer> {
  if (!ctx) return { id: req.id, error: errorOnWire(opened as UserError) };
  try {
    const result = await dispatch(req.name, req.args, ctx);
    return { id: req.id, result: result === undefined ? null : result };
  } catch (e) {
    if (e instanceof UserError) return { id: req.id, error: errorOnWire(e) };
    warn(`millrace: internal error in ${req.name}: ${(e as Error).stack ?? e}`);
    return { id: req.id, error: { code: 'internal', message: `internal error in ${req.name}: ${(e as Error).message}` } };
  }
}
