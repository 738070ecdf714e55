// How one call of the API contract is declared: a name (the map key), zod args, a result type,
// and the HTTP method + path the server derives its route from. IPC forwards {name, args} as is.
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface CallDef<A extends z.ZodType = z.ZodType, R = unknown> {
  method: HttpMethod;
  /** Under /api/v1; `:name` segments are taken from args of the same name. */
  path: string;
  args: A;
  /** 'json' (default), or 'file': the handler returns a FileResult that the transport streams. */
  response?: 'json' | 'file';
  /** One line for docs/rest-api.md and `--help` style listings. */
  summary: string;
  /** Phantom: carries the result type; never set at run time. */
  readonly __result?: R;
}

/**
 * `call<Result>()({...})`: the result type is given, the args type is inferred from the zod schema.
 * (Two calls because TypeScript cannot infer one type parameter and take another explicitly.)
 */
export const call =
  <R>() =>
  <A extends z.ZodType>(def: Omit<CallDef<A, R>, '__result'>): CallDef<A, R> =>
    def as CallDef<A, R>;

export type ResultOfDef<D> = D extends CallDef<z.ZodType, infer R> ? R : never;

/** A file the transport sends as a download (HTTP) or hands over by path (IPC). */
export interface FileResult {
  kind: 'file';
  /** Absolute path on the machine that runs the core. */
  path: string;
  /** Suggested file name for the download. */
  name: string;
  size: number;
}
