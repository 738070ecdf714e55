// Transport-agnostic: validate a call's args against the contract, run its handler. Every transport
// (HTTP, Electron IPC, the CLI, the stdio bridge) forwards {name, args} here.
import type { z } from 'zod';
import { API, type CallName } from '../../shared/api/contract.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { dottedPath, schemaProblems } from '../../shared/zod-issues.js';
import { shown } from '../../shared/safe-text.js';
import type { CallContext } from './context.js';
import { handlers } from './handlers/index.js';

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(API, name);
}

export function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return schemaProblems(issues, { unknownKey: (k) => `unknown argument '${k}'` }).map((p) =>
    // An unknown argument is named in its message; its path would say it twice.
    p.unknown ? `${p.path.length > 1 ? `${dottedPath(p.path.slice(0, -1))}: ` : ''}${p.message}` : `${p.path.length ? `${dottedPath(p.path)}: ` : ''}${p.message}`,
  );
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
