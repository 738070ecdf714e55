// The HTTP transport's errors on our wire: Fastify's own request errors (body parsing, limits) and
// requests Node's HTTP parser refuses before Fastify sees them; the rest is core/wire-errors.ts.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WireError } from '../../shared/api/http.js';
import { toWire as coreToWire, type WireAnswer } from '../core/wire-errors.js';

/** Fastify's own request errors (body parsing, limits) and what they mean on our wire. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

export function toWire(err: unknown): WireAnswer {
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && !(err instanceof Error && err.name === 'UserError')) {
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
  return coreToWire(err);
}

/** What Node's HTTP parser refused (headers too large, malformed syntax, a slow client), on our wire. */
export function clientErrorAnswer(err: NodeJS.ErrnoException): { status: number; body: WireError } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, body: { error: { code: 'headers_too_large', message: "the request's headers are larger than this server accepts" } } };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, body: { error: { code: 'request_timeout', message: 'the request took too long to arrive' } } };
  return { status: 400, body: { error: { code: 'bad_request', message: `malformed HTTP request${err.code ? ` (${err.code})` : ''}` } } };
}

/** Fastify's clientErrorHandler: answer in our shape, then close the connection (as Node does). */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, body } = clientErrorAnswer(err);
    const json = JSON.stringify(body);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.destroy(err);
}
