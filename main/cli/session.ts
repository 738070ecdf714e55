// A CLI command's session with the core: the workspace it works on (DESIGN.md section 2's
// resolution order), the CLI's caller and run driver, and `call`: the core's dispatch, with
// argument names in error messages turned into the command's flags.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Args, ArgsIn, CallName, Result } from '../../shared/api/contract.js';
import { UserError } from '../../shared/errors.js';
import type { CallContext } from '../core/context.js';
import { dispatch } from '../core/dispatch.js';
import { ensureRunner } from '../executor/run-claim.js';
import { recoverWorkspace, type RecoveryReport } from '../executor/recovery.js';
import { ForegroundRuns } from '../executor/foreground-runs.js';
import { localBaseUrl } from '../publish/records.js';
import { initWorkspace, resolveWorkspaceDir, Workspace } from '../workspace/workspace.js';
import { info, summarizeList } from './output.js';

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
}

/** Call argument name -> the flag that set it, for messages. */
export type FlagNames = Partial<Record<string, string>>;

export interface Session {
  ws: Workspace;
  runs: ForegroundRuns;
  ctx: CallContext;
  call<N extends CallName>(name: N, args: ArgsIn<N> | Args<N>, flags?: FlagNames): Promise<Result<N>>;
  close(): void;
}

/** Opens the workspace a command works on: created when it is the default one, recovered, its waiting runs given a runner. */
export function openWorkspace(opts: GlobalOptions): Workspace {
  const { dir, isDefault } = resolveWorkspaceDir(opts.workspace);
  if (isDefault && !existsSync(join(dir, 'millrace.yml'))) {
    initWorkspace(dir);
    info(`Created the default workspace at ${dir} (with a sample pipeline in pipelines/sample.yml)`);
  }
  const ws = Workspace.open(dir);
  let r: RecoveryReport;
  try {
    const recovered = recoverWorkspace(ws);
    if (recovered.deferred) info(`millrace: ${recovered.deferred}; runs left behind by a millrace process that is gone are recorded once there is space`);
    r = recovered.report;
  } catch (e) {
    ws.close();
    throw e;
  }
  if (r.failed.length || r.canceled.length) {
    info(`Recovered ${r.failed.length + r.canceled.length} run(s) left behind by a millrace process that is gone` +
      `${r.killedProcesses ? `; stopped ${r.killedProcesses} orphaned step process(es)` : ''}: ${summarizeList([...r.failed, ...r.canceled])}`);
  }
  try {
    // Runs left without an owner (their Slurm jobs outlived it) get a runner that resumes them.
    if (ensureRunner(ws, r.released.length ? 0 : undefined)) {
      info(`Started a millrace runner for run(s) waiting for an owner${r.released.length ? `: ${summarizeList(r.released)}` : ''} (log: runs/runner.log)`);
    }
  } catch (e) {
    info(`millrace: could not start a runner for waiting runs: ${(e as Error).message}`);
  }
  return ws;
}

/** `status: expected ...` -> `--status: expected ...`, in the message and its detail lines. */
function withFlags(e: UserError, flags: FlagNames): UserError {
  const names = Object.keys(flags).filter((k) => flags[k]);
  if (!names.length) return e;
  const re = new RegExp(`^(\\s*)(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=[:. ])`, 'gm');
  // `parameters.rate: ...` -> `-p rate: ...`: a key inside an argument reads as the flag's value.
  const swap = (s: string) => s.replace(re, (_, pre: string, name: string) => `${pre}${flags[name]}`).replace(/^(\s*-{1,2}[\w-]+)\.(?=\S)/gm, '$1 ');
  // The call's name says nothing to a CLI user: "runs/submit: invalid arguments" -> "invalid arguments".
  const message = swap(e.message.split('\n')[0].replace(/^[a-z-]+\/[a-z-]+: /, ''));
  return new UserError(message, e.code === 'invalid_input' ? 'bad_usage' : e.code, e.details.map(swap));
}

/**
 * A session opens the workspace on first use: a call that needs none (`schedule preview`) neither
 * creates the default workspace nor recovers anything.
 */
export function openSession(opts: GlobalOptions): Session {
  let ws: Workspace | undefined;
  let runs: ForegroundRuns | undefined;
  const workspace = () => (ws ??= openWorkspace(opts));
  const driver = () => (runs ??= new ForegroundRuns(workspace(), (m) => info(`millrace: ${m}`)));
  const ctx: CallContext = {
    get ws() {
      return workspace();
    },
    get runs() {
      return driver();
    },
    caller: { kind: 'cli', user: process.env.USER ?? null },
    get baseUrl() {
      return localBaseUrl(workspace());
    },
  };
  return {
    get ws() {
      return workspace();
    },
    get runs() {
      return driver();
    },
    ctx,
    call: async (name, args, flags = {}) => {
      try {
        return (await dispatch(name, args, ctx)) as Result<typeof name>;
      } catch (e) {
        throw e instanceof UserError ? withFlags(e, flags) : e;
      }
    },
    close: () => ws?.close(),
  };
}

/** Runs `fn` with a session and closes it, whatever happens. */
export async function withSession<T>(opts: GlobalOptions, fn: (s: Session) => T | Promise<T>): Promise<T> {
  const s = openSession(opts);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}
