// The app's single connection, made on first use (tests build their own with connect()).
import { connect, type Connection } from './connection.js';

let current: Connection | undefined;

export const conn = (): Connection => (current ??= connect());
export const api = () => conn().client;

/**
 * A readable message for anything a call may throw. The core's message already lists its details
 * (one per line); they are added only when it does not (issue 14, bug 10: errors shown twice).
 */
export function messageOf(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) {
    const err = e as { message: string; details?: string[] };
    const missing = (err.details ?? []).filter((d) => !err.message.includes(d));
    return missing.length ? `${err.message}\n${missing.join('\n')}` : err.message;
  }
  return String(e);
}

export const isUnauthorized = (e: unknown): boolean => !!e && typeof e === 'object' && (e as { status?: number }).status === 401;
