// Transport-agnostic: validate a call's args against the contract, run its handler. Every transport
// (HTTP, Electron IPC, the CLI, the stdio bridge) forwards {name, args} here.
import type { z } from 'zod';
import { API, type CallName } from '../../shared/api/contract.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { shown } from '../../shared/safe-text.js';
import type { CallContext } from './context.js';
import { handlers } from './handlers/index.js';

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(API, name);
}

export function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => {
    const where = i.path.length ? `${i.path.map((p) => shown(String(p))).join('.')}: ` : '';
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${where}unknown argument '${shown(k)}'`);
    if (i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined) return [`${where}is required`];
    return [`${where}${i.message}`];
  });
}

export function parseArgs<N extends CallName>(name: N, raw: unknown): z.output<(typeof API)[N]['args']> {
  const parsed = API[name].args.safeParse(raw ?? {});
  if (!parsed.success) throw new UserError(`${name}: invalid arguments`, 'invalid_input', describeIssues(parsed.error.issues));
  return parsed.data as z.output<(typeof API)[N]['args']>;
}

export async function dispatch(name: string, raw: unknown, ctx: CallContext): Promise<unknown> {
  if (!isCallName(name)) throw new NotFoundError(`no API call '${name}'`);
  const args = parseArgs(name, raw);
  const handler = handlers[name] as (a: unknown, c: CallContext) => unknown;
  return handler(args, ctx);
}
