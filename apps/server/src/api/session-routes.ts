import { Router, type Response } from 'express';
import { clientOf } from './client.js';
import { AdvanceRequest, HttpRequestMessage, SequenceRequest, SessionCreateRequest, type ExchangeStreamEvent, type SessionEvent } from '@playground/shared';
import type { SessionManager } from '../runtime/sessions.js';
import { handle, HttpError, parseBody } from './errors.js';
import { NdjsonStream } from './ndjson.js';
import { parseExchangeRequest } from './exchange-request.js';


/**
 * An exchange whose response is sent as it streams (NDJSON ExchangeStreamEvents), so a client sees
 * each chunk of a streamed upstream answer when the gateway's client would, then the exchange.
 */
async function streamExchange(sessions: SessionManager, id: string, request: HttpRequestMessage, res: Response): Promise<void> {
  const out = new NdjsonStream<ExchangeStreamEvent>(res);
  try {
    const exchange = await sessions.exchange(id, request, { downstream: out.responseSink() });
    out.send({ type: 'exchange', exchange });
  } catch (e) {
    out.fail(e);
  }
  out.end();
}

/** POST/DELETE /api/sessions, exchanges, and the SSE event stream. */
export function sessionRoutes(sessions: SessionManager): Router {
  const r = Router();
  r.param('id', (req, _res, next, id: string) => {
    try {
      sessions.checkOwner(id, clientOf(req));
      next();
    } catch (e) {
      next(e);
    }
  });

  r.post(
    '/sessions',
    handle(async (req, res) => {
      const body = parseBody(SessionCreateRequest, req.body);
      const info = await sessions.create({ client: clientOf(req), ...body });
      res.status(201).json(info);
    }),
  );

  r.delete(
    '/sessions/:id',
    handle(async (req, res) => {
      if (!(await sessions.end(String(req.params.id)))) throw new HttpError(404, `no live session "${req.params.id}"`);
      res.status(204).end();
    }),
  );

  r.post(
    '/sessions/:id/exchanges',
    handle(async (req, res) => {
      const request = parseExchangeRequest(req.body, sessions);
      if (req.query.stream === '1') return streamExchange(sessions, String(req.params.id), request, res);
      const ex = await sessions.exchange(String(req.params.id), request);
      res.json(ex);
    }),
  );

  r.post(
    '/sessions/:id/plugin-effect',
    handle(async (req, res) => {
      const request = parseExchangeRequest(req.body, sessions);
      res.json(await sessions.pluginEffect(String(req.params.id), request));
    }),
  );

  r.get(
    '/sessions/:id/metrics',
    handle(async (req, res) => {
      res.json({ metrics: await sessions.metrics(String(req.params.id)) });
    }),
  );

  r.get(
    '/sessions/:id/redis',
    handle(async (req, res) => {
      res.json(await sessions.redisKeys(String(req.params.id)));
    }),
  );

  r.delete(
    '/sessions/:id/redis',
    handle(async (req, res) => {
      const service = typeof req.query.service === 'string' ? req.query.service : undefined;
      await sessions.redisFlush(String(req.params.id), service);
      res.status(204).end();
    }),
  );

  r.post(
    '/sessions/:id/advance',
    handle(async (req, res) => {
      const { ms } = parseBody(AdvanceRequest, req.body);
      res.json(await sessions.advance(String(req.params.id), ms));
    }),
  );

  r.post(
    '/sessions/:id/sequence',
    handle(async (req, res) => {
      const body = parseBody(SequenceRequest, req.body);
      body.requests.forEach((r) => parseExchangeRequest(r, sessions));
      res.json(await sessions.sequence(String(req.params.id), body));
    }),
  );

  r.get('/sessions/:id/events', (req, res, next) => {
    const id = String(req.params.id);
    if (!sessions.has(id)) return next(new HttpError(404, `no live session "${id}"`));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const send = (e: SessionEvent) => {
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
      if (e.type === 'session-ended') res.end();
    };
    const unsubscribe = sessions.subscribe(id, send);
    // A comment line now and then keeps proxies from closing a quiet stream.
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });

  return r;
}
