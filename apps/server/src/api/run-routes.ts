import { Router } from 'express';
import { RunRequest, type RunResult } from '@playground/shared';
import type { Builder } from '../build/builder.js';
import { SessionError, type SessionManager } from '../runtime/sessions.js';
import { clientGone, handle, parseBody } from './errors.js';
import { clientOf, parseExchangeRequest } from './session-routes.js';

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
      const build = await builder.build(body.files, clientGone(req, res));
      const result: RunResult = { build, session: null, exchange: null };
      if (!build.ok) return void res.json(result);
      if (body.sessionId) await sessions.end(body.sessionId, 'replaced by a new run');
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
        result.exchange = await sessions.exchange(result.session.sessionId, request);
      } catch (err) {
        if (!(err instanceof SessionError)) throw err;
        result.error = { error: err.message, ...err.extra };
        // A config the YAML parser or the plugin rejects is an answer like a failed build (200,
        // the failing part says why); limits and unknown ids keep their status.
        return void res.status(err.status === 422 ? 200 : err.status).json(result);
      }
      res.json(result);
    }),
  );
  return r;
}
