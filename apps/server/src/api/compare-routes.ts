import { Router } from 'express';
import { RunRequest } from '@playground/shared';
import type { ScenarioRunner } from '../runner.js';
import type { DockerStatus } from '../runtime/docker/engine.js';
import type { SessionManager } from '../runtime/sessions.js';
import { handle, HttpError, parseBody } from './errors.js';
import { clientOf } from './client.js';
import { parseExchangeRequest } from './exchange-request.js';

/** A Run without a runtime: the scenario goes through both. */
const CompareRequest = RunRequest.omit({ runtime: true, sessionId: true });

/**
 * POST /api/compare: builds once, runs the request in a fresh session of each runtime, ends both
 * sessions, and lists where the exchanges differ, so the embedded host can be checked against the
 * real gateway.
 */
export function compareRoutes(runner: ScenarioRunner, sessions: SessionManager, docker: DockerStatus): Router {
  const r = Router();
  r.post(
    '/compare',
    handle(async (req, res) => {
      if (!docker.available) throw new HttpError(503, `comparing needs the docker runtime, which this server does not offer: ${docker.reason}`);
      const body = parseBody(CompareRequest, req.body);
      const request = parseExchangeRequest(body.request, sessions);
      const result = await runner.compare(body, request, clientOf(req));
      res.json(result);
    }),
  );
  return r;
}
