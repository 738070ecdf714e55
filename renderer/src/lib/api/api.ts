// The app's single connection, made on first use (tests build their own with connect()).
import { connect, type Connection } from './connection.js';

let current: Connection | undefined;

export const conn = (): Connection => (current ??= connect());
export const api = () => conn().client;

/** A readable message for anything a call may throw. */
export function messageOf(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) {
    const err = e as { message: string; details?: string[] };
    return err.details?.length ? `${err.message}\n${err.details.join('\n')}` : err.message;
  }
  return String(e);
}

export const isUnauthorized = (e: unknown): boolean => !!e && typeof e === 'object' && (e as { status?: number }).status === 401;
