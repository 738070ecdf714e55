/**
 * Bad input from a person or a file: shown as is, with where it came from.
 * Everything else is a bug or an environment failure. Only a transport turns
 * errors into the wire shape `{error: {code, message}}` (STYLE.md habit 7).
 */

/**
 * Every error code, with the HTTP status (API) and exit code (CLI) it becomes. DESIGN.md section 6:
 * exit 2 is bad usage or invalid input, 1 a failed run (or the environment failing us).
 */
export const ERROR_CODES = {
  invalid_input: { http: 400, exit: 2 },
  bad_usage: { http: 400, exit: 2 },
  bad_request: { http: 400, exit: 2 },
  invalid_json: { http: 400, exit: 2 },
  invalid_submit: { http: 400, exit: 2 },
  invalid_spec: { http: 400, exit: 2 },
  invalid_parameter: { http: 400, exit: 2 },
  unknown_parameter: { http: 400, exit: 2 },
  missing_parameter: { http: 400, exit: 2 },
  invalid_recurrence: { http: 400, exit: 2 },
  invalid_query: { http: 400, exit: 2 },
  invalid_definition: { http: 400, exit: 2 },
  token_in_query: { http: 400, exit: 2 },
  unauthorized: { http: 401, exit: 2 },
  forbidden: { http: 403, exit: 2 },
  forbidden_origin: { http: 403, exit: 2 },
  disabled: { http: 403, exit: 2 },
  not_found: { http: 404, exit: 2 },
  no_workspace: { http: 404, exit: 2 },
  request_timeout: { http: 408, exit: 2 },
  conflict: { http: 409, exit: 2 },
  already_exists: { http: 409, exit: 2 },
  ambiguous: { http: 409, exit: 2 },
  ambiguous_name: { http: 409, exit: 2 },
  locked: { http: 409, exit: 2 },
  payload_too_large: { http: 413, exit: 2 },
  unsupported_media_type: { http: 415, exit: 2 },
  misdirected_request: { http: 421, exit: 2 },
  headers_too_large: { http: 431, exit: 2 },
  migration_failed: { http: 500, exit: 2 },
  internal: { http: 500, exit: 1 },
  unavailable: { http: 503, exit: 1 },
  /** A compute target that cannot take jobs (no sbatch, no controller, an unknown partition): nothing was submitted. */
  compute_unavailable: { http: 503, exit: 2 },
  disk_full: { http: 507, exit: 1 },
} as const satisfies Record<string, { http: number; exit: 1 | 2 }>;
export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);
export const httpStatusOf = (code: string): number => (isErrorCode(code) ? ERROR_CODES[code].http : 400);
export const exitCodeOf = (code: string): 1 | 2 => (isErrorCode(code) ? ERROR_CODES[code].exit : 2);

export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(
    message: string,
    /** Machine-readable code: the wire's error.code. */
    readonly code: ErrorCode = 'invalid_input',
    /** Extra lines, e.g. one per validation problem. */
    readonly details: string[] = [],
  ) {
    super(details.length ? `${message}\n${details.map((d) => `  ${d}`).join('\n')}` : message);
  }
}

export class NotFoundError extends UserError {
  constructor(message: string) {
    super(message, 'not_found');
  }
}
