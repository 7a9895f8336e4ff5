import { Router } from 'express';
import { RunRequest, type BuildResult, type Exchange, type RuntimeName, type SessionInfo } from '@playground/shared';
import type { Builder } from '../build/builder.js';
import type { DockerStatus } from '../runtime/docker/engine.js';
import { compareExchanges, type Difference } from '../runtime/docker/compare.js';
import { SessionError, type SessionManager } from '../runtime/sessions.js';
import { handle, HttpError, parseBody } from './errors.js';
import { clientOf } from './client.js';
import { parseExchangeRequest } from './session-routes.js';

/** A Run without a runtime: the scenario goes through both. */
const CompareRequest = RunRequest.omit({ runtime: true, sessionId: true });

interface Side {
  session: SessionInfo | null;
  exchange: Exchange | null;
  error?: string;
}

export interface CompareResult {
  build: BuildResult;
  embedded: Side | null;
  docker: Side | null;
  /** Left is embedded, right is docker. */
  differences: Difference[];
}

/**
 * POST /api/compare: builds once, runs the request in a fresh session of each runtime, ends both
 * sessions, and lists where the exchanges differ, so the embedded host can be checked against the
 * real gateway.
 */
export function compareRoutes(builder: Builder, sessions: SessionManager, docker: DockerStatus): Router {
  const r = Router();
  r.post(
    '/compare',
    handle(async (req, res) => {
      if (!docker.available) throw new HttpError(503, `comparing needs the docker runtime, which this server does not offer: ${docker.reason}`);
      const body = parseBody(CompareRequest, req.body);
      const request = parseExchangeRequest(body.request, sessions);
      const build = await builder.build(body.files, { client: clientOf(req) });
      const result: CompareResult = { build, embedded: null, docker: null, differences: [] };
      if (!build.ok) return void res.json(result);
      const run = async (runtime: RuntimeName): Promise<Side> => {
        let session: SessionInfo | null = null;
        try {
          session = await sessions.create({ client: clientOf(req), buildId: build.buildId, config: body.config, runtime, services: body.services, gateway: body.gateway });
          return { session, exchange: await sessions.exchange(session.sessionId, request) };
        } catch (err) {
          if (!(err instanceof SessionError)) throw err;
          return { session, exchange: null, error: err.message };
        } finally {
          if (session) await sessions.end(session.sessionId, 'comparison done');
        }
      };
      const [embedded, dockerSide] = await Promise.all([run('embedded'), run('docker')]);
      result.embedded = embedded;
      result.docker = dockerSide;
      if (embedded.exchange && dockerSide.exchange) result.differences = compareExchanges(embedded.exchange, dockerSide.exchange);
      res.json(result);
    }),
  );
  return r;
}
