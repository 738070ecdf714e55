// One reading of zod's issues, for every place that reports them (API arguments, YAML files,
// recurrences): each issue becomes problems with a path and a message; the caller says where
// (`name.key:`, `file:line:col`, `--flag`).
import type { z } from 'zod';
import { shown } from './safe-text.js';

export interface SchemaProblem {
  path: PropertyKey[];
  message: string;
  /** The problem is the key at `path` itself (an unknown or refused name), not its value. */
  atKey: boolean;
  /** An unknown key: its message names it already. */
  unknown: boolean;
}

export interface ProblemWording {
  /** An unknown key: "unknown argument 'x'", "unknown key 'x'". */
  unknownKey: (key: string) => string;
  /** A message of the caller's own for an issue (e.g. naming a union's choices), else zod's. */
  override?: (issue: z.core.$ZodIssue) => string | undefined;
}

export function schemaProblems(issues: readonly z.core.$ZodIssue[], w: ProblemWording): SchemaProblem[] {
  return issues.flatMap((i): SchemaProblem[] => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: [...i.path, k], message: w.unknownKey(shown(k)), atKey: true, unknown: true }));
    const own = w.override?.(i);
    const missing = isMissing(i);
    const message = own ?? (missing ? 'is required' : i.message);
    return [{ path: [...i.path], message, atKey: i.code === 'custom' && i.params?.name === true, unknown: false }];
  });
}

/** `a.b: message` */
export const dottedPath = (path: readonly PropertyKey[]): string => path.map((p) => shown(String(p))).join('.');

/** A key that is not there at all (zod: "expected string, received undefined"). */
export const isMissing = (i: z.core.$ZodIssue): boolean =>
  i.code === 'invalid_type' && ((i as { input?: unknown }).input === undefined ? /received undefined$/.test(i.message) : false);
