// STYLE.md habit 7, the part every transport shares: any error -> {"error": {"code", "message"}}
// and its HTTP status. A UserError is shown as is; anything else is internal (logged, not shown).
import { statusForCode, type WireError } from '../../shared/api/http.js';
import { UserError } from '../../shared/errors.js';

export interface WireAnswer {
  status: number;
  body: WireError;
  /** A bug or an environment failure: the transport logs it; the caller sees a generic message. */
  internal: boolean;
}

export function userErrorToWire(err: UserError): WireAnswer {
  const details = err.details.length ? { details: err.details } : {};
  return { status: statusForCode(err.code), body: { error: { code: err.code, message: err.message, ...details } }, internal: false };
}

export function toWire(err: unknown): WireAnswer {
  if (err instanceof UserError) return userErrorToWire(err);
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; the log has the details' } }, internal: true };
}
