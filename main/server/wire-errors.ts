// The transport's half of STYLE.md habit 7: any error -> HTTP status + {"error": {"code", "message"}}.
import { statusForCode, type WireError } from '../../shared/api/http.js';
import { UserError } from '../../shared/errors.js';

/** Fastify's own request errors (body parsing, limits) and what they mean on our wire. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

export function toWire(err: unknown): { status: number; body: WireError; internal: boolean } {
  if (err instanceof UserError) {
    const details = err.details.length ? { details: err.details } : {};
    return { status: statusForCode(err.code), body: { error: { code: err.code, message: err.message, ...details } }, internal: false };
  }
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code = (e.code && FASTIFY_CODES[e.code]) ?? (e.statusCode === 404 ? 'not_found' : 'bad_request');
    const message =
      e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? `the body is not valid JSON: ${e.message}`
        : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'only JSON bodies are accepted (Content-Type: application/json)'
          : e.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? `the body is larger than this server accepts (${e.message})`
            : (e.message ?? 'bad request');
    return { status: e.statusCode, body: { error: { code, message } }, internal: false };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; the server log has the details' } }, internal: true };
}
