import type { RequestHandler } from 'express';
import { request } from 'node:http';
import type { SessionManager } from '../runtime/sessions.js';
import { log } from '../util/log.js';
import type { ReplicaRegistry } from './registry.js';

/** Marks a request one replica forwarded to another, so it is never forwarded again. */
export const FORWARDED = 'x-playground-forwarded-by';
const SESSION_PATH = /^\/(?:api\/sessions|api\/lsp|gw)\/([A-Za-z0-9_-]{1,64})(?:\/|$)/;

/**
 * Requests for a session another replica runs (its API routes, its event stream, its /gw gateway)
 * go to that replica, streamed both ways, so a load balancer needs no affinity. A session nobody
 * runs any more falls through to the local routes, which answer that it ended.
 */
export function forwardToOwner(sessions: SessionManager, registry: ReplicaRegistry): RequestHandler {
  return (req, res, next) => {
    const id = SESSION_PATH.exec(req.path)?.[1];
    if (!id || !registry.self || sessions.has(id) || req.headers[FORWARDED]) return next();
    registry.owner(id).then(
      (owner) => {
        if (!owner || owner === registry.self) return next();
        const target = new URL(req.originalUrl, owner);
        // The API needs the client's address (X-Forwarded-For, as a proxy adds it); a gateway request
        // goes on as it came, so the plugin sees the same headers whichever replica took it.
        const gateway = req.path.startsWith('/gw/');
        const xff = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
        const headers = { ...req.headers, [FORWARDED]: registry.self, ...(gateway ? {} : { 'x-forwarded-for': xff }) };
        const upstream = request(target, { method: req.method, headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          res.flushHeaders();
          answer.pipe(res);
        });
        upstream.on('error', (err) => {
          log.warn('replicas.forward-failed', { sessionId: id, owner, message: err.message });
          if (res.headersSent) return void res.destroy();
          res.status(404).json({ error: `no live session "${id}": the replica running it is gone; run again to start a new one` });
        });
        res.on('close', () => upstream.destroy());
        req.pipe(upstream);
      },
      (err: Error) => next(err),
    );
  };
}
