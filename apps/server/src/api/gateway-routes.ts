import type { RequestHandler } from 'express';
import type { Socket } from 'node:net';
import { FORWARDED } from '../replicas/forward.js';
import { serveAsGateway } from '../runtime/gateway.js';
import type { SessionManager } from '../runtime/sessions.js';
import { httpErrorOf } from './errors.js';

/**
 * `{origin}/gw/{sessionId}/...`: each session's gateway on the main origin, for clients that cannot
 * reach its loopback listener (a hosted playground, a container). Any method, path, query, headers
 * and streamed bodies, with the same behaviour and events as the listener. Mounted before the JSON
 * body parser: the body streams to the plugin as it arrives.
 */
export function gatewayRoutes(sessions: SessionManager): RequestHandler {
  const connections = new WeakMap<Socket, number>();
  let nextConnection = 1;
  return (req, res) => {
    // /gw/{id}, /gw/{id}/path and /gw/{id}?query all reach the plugin (the last two as / and /?query).
    const m = /^\/([A-Za-z0-9_-]{1,64})([/?][^]*)?$/.exec(req.url);
    if (!m) return void res.status(404).type('text/plain').send('use /gw/{sessionId}/{path}\n');
    const [, id, rest] = m;
    if (!sessions.has(id)) {
      return void res.status(404).type('text/plain').send(`no live session "${id}": it ended or expired; run again to start a new one\n`);
    }
    // The marker of a request another replica forwarded is ours, not the client's: the plugin never sees it.
    delete req.headers[FORWARDED];
    for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) if (req.rawHeaders[i].toLowerCase() === FORWARDED) req.rawHeaders.splice(i, 2);
    let connectionId = connections.get(req.socket);
    if (connectionId === undefined) {
      connectionId = nextConnection++;
      connections.set(req.socket, connectionId);
    }
    void serveAsGateway(req, res, {
      path: !rest ? '/' : rest.startsWith('?') ? `/${rest}` : rest,
      connectionId,
      limits: sessions.limits,
      url: `http://${req.headers.host ?? 'localhost'}`,
      handle: (msg, authority, live) =>
        sessions.exchange(id, msg, { authority, live }).catch((err) => {
          // A limit or a session gone while the request waited: the client gets the API's answer.
          const known = httpErrorOf(err);
          if (!known || res.headersSent) throw err;
          res.status(known.status).type('text/plain').send(`${known.message}\n`);
        }),
    });
  };
}
