// GET /api/v1/events: server-sent events of run and step status changes.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../shared/api/contract.js';
import { EVENTS_PATH, eventsArgs } from '../../shared/api/events.js';
import { UserError } from '../../shared/errors.js';
import type { RunManager } from '../executor/run-manager.js';
import { describeIssues } from '../core/dispatch.js';

const HEARTBEAT_MS = 15_000;

/** Registers the route; returns a disposer that ends every open stream (for shutdown). */
export function registerEventsRoute(app: FastifyInstance, runs: RunManager): () => void {
  const open = new Set<ServerResponse>();
  let seq = 0;
  app.get(`${API_PREFIX}${EVENTS_PATH}`, (req, reply) => {
    const parsed = eventsArgs.safeParse(req.query ?? {});
    if (!parsed.success) throw new UserError('invalid query string', 'invalid_input', describeIssues(parsed.error.issues));
    const only = parsed.data.runId;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 2000\n: connected\n\n');
    open.add(res);
    const unsubscribe = runs.subscribe((e) => {
      if (only && e.runId !== only) return;
      res.write(`id: ${++seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    });
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    beat.unref();
    const end = () => {
      clearInterval(beat);
      unsubscribe();
      open.delete(res);
    };
    res.on('close', end);
    res.on('error', end);
  });
  return () => {
    for (const res of [...open]) res.end();
  };
}
