import { Router } from 'express';
import { checkFiles, Scenario } from '@playground/shared';
import { buildLimits } from '../compile/limits.js';
import { canonicalScenario, shareId } from '../share/canonical.js';
import type { RateLimiter } from '../share/rate-limit.js';
import type { ShareStore } from '../share/store.js';
import * as metrics from '../ops/metrics.js';
import { handle, HttpError, parseBody } from './errors.js';
import { clientOf } from './client.js';
import { numberSetting } from '../settings.js';


/** POST /api/share and GET /api/share/{id}. There is deliberately no listing route. */
export function shareRoutes(store: ShareStore, limiter: RateLimiter): Router {
  const r = Router();

  r.post(
    '/share',
    handle(async (req, res) => {
      const scenario = parseBody(Scenario, req.body);
      // File names a build would refuse (../../etc/passwd, markup) are refused here too.
      const wrong = checkFiles(scenario.files, buildLimits());
      if (wrong) throw new HttpError(400, wrong.message, { field: wrong.field });
      const canonical = canonicalScenario(scenario);
      const size = Buffer.byteLength(canonical);
      const max = numberSetting('PLAYGROUND_MAX_SHARE_BYTES');
      if (size > max) throw new HttpError(413, `the scenario is ${size} bytes; a share holds at most ${max}`);
      const allowed = limiter.take(clientOf(req));
      if (!allowed.ok) {
        res.setHeader('retry-after', String(allowed.retryAfterS));
        throw new HttpError(429, `too many shares; try again in ${allowed.retryAfterS} s`);
      }
      const quota = numberSetting('PLAYGROUND_SHARES_MAX_MB') * 2 ** 20;
      if ((await store.totalBytes()) + size > quota) {
        throw new HttpError(507, `share storage is full (${quota / 2 ** 20} MiB); existing links still open, new shares wait until the operator makes room`);
      }
      const id = shareId(canonical);
      await store.put(id, canonical);
      metrics.shares.inc({ op: 'write' });
      res.status(201).json({ id, url: `/p/${id}` });
    }),
  );

  r.get(
    '/share/:id',
    handle(async (req, res) => {
      const id = String(req.params.id);
      const body = /^[A-Za-z0-9_-]{12}$/.test(id) ? await store.get(id) : null;
      if (!body) throw new HttpError(404, `no shared scenario "${id}"`);
      metrics.shares.inc({ op: 'read' });
      res.type('application/json').send(body);
    }),
  );

  return r;
}
