import { Router } from 'express';
import { RunRequest, type RunResult, type RunStreamEvent } from '@playground/shared';
import type { Builder } from '../build/builder.js';
import { SessionError, type SessionManager } from '../runtime/sessions.js';
import { clientGone, handle, parseBody } from './errors.js';
import { NdjsonStream } from './ndjson.js';
import { clientOf } from './client.js';
import { parseExchangeRequest } from './session-routes.js';

/**
 * POST /api/run: what the Run button does. Build (or hit the cache), start a session with the
 * config, send the first request. The previous session named by `sessionId` is replaced.
 */
export function runRoutes(builder: Builder, sessions: SessionManager): Router {
  const r = Router();
  r.post(
    '/run',
    handle(async (req, res) => {
      const body = parseBody(RunRequest, req.body);
      const request = parseExchangeRequest(body.request, sessions);
      // ?stream=1: events as the run goes (build, session, the response as it streams, the result).
      const out = req.query.stream === '1' ? new NdjsonStream<RunStreamEvent>(res) : undefined;
      const answer = (status: number, result: RunResult) => {
        if (!out) return void res.status(status).json(result);
        out.send({ type: 'result', status, result });
        out.end();
      };
      let build;
      try {
        build = await builder.build(body.files, { signal: clientGone(req, res), client: clientOf(req) });
      } catch (e) {
        if (!out) throw e;
        out.fail(e);
        return out.end();
      }
      out?.send({ type: 'build', build });
      const result: RunResult = { build, session: null, exchange: null };
      if (!build.ok) return answer(200, result);
      // Only the client's own previous session is replaced; another's id is ignored.
      if (body.sessionId && sessions.ownedBy(body.sessionId, clientOf(req))) await sessions.end(body.sessionId, 'replaced by a new run');
      try {
        result.session = await sessions.create({
          client: clientOf(req),
          buildId: build.buildId,
          config: body.config,
          runtime: body.runtime,
          services: body.services,
          clock: body.clock,
          gateway: body.gateway,
        });
        out?.send({ type: 'session', session: result.session });
        result.exchange = await sessions.exchange(result.session.sessionId, request, out ? { downstream: out.responseSink() } : {});
      } catch (err) {
        if (!(err instanceof SessionError)) {
          if (!out) throw err;
          out.fail(err);
          return out.end();
        }
        result.error = { error: err.message, ...err.extra };
        // A config the YAML parser or the plugin rejects is an answer like a failed build (200,
        // the failing part says why); limits and unknown ids keep their status.
        return answer(err.status === 422 ? 200 : err.status, result);
      }
      answer(200, result);
    }),
  );
  return r;
}
