/**
 * Bad input from a person or a file: shown as is, with where it came from.
 * Everything else is a bug or an environment failure. Only a transport turns
 * errors into the wire shape `{error: {code, message}}` (STYLE.md habit 7).
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** Machine-readable code, e.g. `invalid_parameter`, `not_found`. */
    readonly code: string = 'invalid_input',
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
