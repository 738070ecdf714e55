// Calls of the contract in this process, through the core's one dispatch, as a given caller: the
// stdio bridge's context (caller sdk, every submit recorded unclaimed) unless another is asked for.
import type { Args, ArgsIn, CallName, Result } from '../../shared/api/contract.js';
import type { Caller, CallContext } from '../../main/core/context.js';
import { dispatch } from '../../main/core/dispatch.js';
import { UnclaimedRuns } from '../../main/executor/unclaimed-runs.js';
import { localBaseUrl } from '../../main/publish/records.js';
import type { Workspace } from '../../main/workspace/workspace.js';

export const SDK_CALLER: Caller = { kind: 'sdk', script: '/home/ana/proj/pipeline.py', user: 'ana' };

export function coreCaller(ws: Workspace, caller: Caller = SDK_CALLER) {
  const ctx: CallContext = { ws, runs: new UnclaimedRuns(ws), caller, baseUrl: localBaseUrl(ws) };
  return <N extends CallName>(name: N, args: ArgsIn<N> | Args<N>): Promise<Result<N>> => dispatch(name, args, ctx) as Promise<Result<N>>;
}

/** The UserError a call throws (its code, message and details), or a failure when it succeeds. */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; details: string[] }> {
  try {
    await p;
  } catch (e) {
    const u = e as { code?: string; message: string; details?: string[] };
    return { code: u.code ?? 'none', message: u.message, details: u.details ?? [] };
  }
  throw new Error('expected the call to fail');
}
