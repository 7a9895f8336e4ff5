import { Router } from 'express';
import { RunRequest, type RunStreamEvent } from '@playground/shared';
import type { ScenarioRunner } from '../runner.js';
import type { SessionManager } from '../runtime/sessions.js';
import { clientOf } from './client.js';
import { clientGone, handle, parseBody } from './errors.js';
import { NdjsonStream } from './ndjson.js';
import { parseExchangeRequest } from './exchange-request.js';

/**
 * POST /api/run: what the Run button does (ScenarioRunner.run). With ?stream=1 the answer is NDJSON
 * events as the run goes: the build, the session, the response as it streams, the result.
 */
export function runRoutes(runner: ScenarioRunner, sessions: SessionManager): Router {
  const r = Router();
  r.post(
    '/run',
    handle(async (req, res) => {
      const body = parseBody(RunRequest, req.body);
      const request = parseExchangeRequest(body.request, sessions);
      const signal = clientGone(req, res);
      if (req.query.stream !== '1') {
        const { status, result } = await runner.run(body, request, clientOf(req), { signal });
        return void res.status(status).json(result);
      }
      const out = new NdjsonStream<RunStreamEvent>(res);
      try {
        const { status, result } = await runner.run(body, request, clientOf(req), {
          signal,
          onBuild: (build) => out.send({ type: 'build', build }),
          onSession: (session) => out.send({ type: 'session', session }),
          downstream: out.responseSink(),
        });
        out.send({ type: 'result', status, result });
      } catch (e) {
        out.fail(e);
      }
      out.end();
    }),
  );
  return r;
}
