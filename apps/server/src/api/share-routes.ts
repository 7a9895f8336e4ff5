import { Router } from 'express';
import { Scenario } from '@playground/shared';
import { canonicalScenario, shareId } from '../share/canonical.js';
import type { RateLimiter } from '../share/rate-limit.js';
import type { ShareStore } from '../share/store.js';
import { handle, HttpError, parseBody } from './errors.js';
import { clientOf } from './session-routes.js';

const MAX_SHARE_BYTES = Number(process.env.PLAYGROUND_MAX_SHARE_BYTES) || 512 * 1024;

/** POST /api/share and GET /api/share/{id}. There is deliberately no listing route. */
export function shareRoutes(store: ShareStore, limiter: RateLimiter): Router {
  const r = Router();

  r.post(
    '/share',
    handle(async (req, res) => {
      const scenario = parseBody(Scenario, req.body);
      const canonical = canonicalScenario(scenario);
      const size = Buffer.byteLength(canonical);
      if (size > MAX_SHARE_BYTES) throw new HttpError(413, `the scenario is ${size} bytes; a share holds at most ${MAX_SHARE_BYTES}`);
      const allowed = limiter.take(clientOf(req));
      if (!allowed.ok) {
        res.setHeader('retry-after', String(allowed.retryAfterS));
        throw new HttpError(429, `too many shares; try again in ${allowed.retryAfterS} s`);
      }
      const id = shareId(canonical);
      await store.put(id, canonical);
      res.status(201).json({ id, url: `/p/${id}` });
    }),
  );

  r.get(
    '/share/:id',
    handle(async (req, res) => {
      const id = String(req.params.id);
      const body = /^[A-Za-z0-9_-]{12}$/.test(id) ? await store.get(id) : null;
      if (!body) throw new HttpError(404, `no shared scenario "${id}"`);
      res.type('application/json').send(body);
    }),
  );

  return r;
}
