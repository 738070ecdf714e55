// The /api/v1 routes, generated from the contract: one route per call, args = path params +
// query (GET) or JSON body (POST/DELETE), validated by the call's zod schema in dispatch().
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API, API_PREFIX, callNames } from '../../shared/api/contract.js';
import type { FileResult } from '../../shared/api/define.js';
import { UserError } from '../../shared/errors.js';
import type { CallContext } from '../core/context.js';
import { dispatch } from '../core/dispatch.js';

export type ContextOf = (req: FastifyRequest) => CallContext;

/** A JSON body must be an object (or absent): its keys are the call's arguments. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new UserError('the JSON body must be an object', 'invalid_input');
  return body as Record<string, unknown>;
}

const contentDisposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function registerApiRoutes(app: FastifyInstance, contextOf: ContextOf): void {
  for (const name of callNames()) {
    const def = API[name];
    app.route({
      method: def.method,
      url: `${API_PREFIX}${def.path}`,
      handler: async (req, reply) => {
        const params = req.params as Record<string, string>;
        const args = def.method === 'GET' ? { ...(req.query as object), ...params } : { ...bodyObject(req.body), ...params };
        const result = await dispatch(name, args, contextOf(req));
        if (def.response === 'file') {
          const f = result as FileResult;
          return reply
            .header('content-type', 'application/octet-stream')
            .header('content-length', f.size)
            .header('content-disposition', contentDisposition(f.name))
            .send(createReadStream(f.path));
        }
        return reply.header('cache-control', 'no-store').send(result);
      },
    });
  }
}
