import { Router } from 'express';
import type { Builder } from '../compile/builder.js';
import * as metrics from '../ops/metrics.js';
import type { SessionManager } from '../runtime/sessions.js';

/** GET /metrics: Prometheus' text format, for an operator's scraper. */
export function opsRoutes(builder: Builder, sessions: SessionManager): Router {
  metrics.gauges({ queue: () => builder.info().queue, sessions: () => sessions.counts() });
  const r = Router();
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
