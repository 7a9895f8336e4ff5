import compression from 'compression';
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Builder } from '../compile/builder.js';
import type { ExampleCatalog } from '../examples/catalog.js';
import type { TourCatalog } from '../tour/catalog.js';
import type { DockerStatus } from '../runtime/docker/engine.js';
import { forwardToOwner } from '../replicas/forward.js';
import type { ReplicaRegistry } from '../replicas/registry.js';
import type { ScenarioRunner } from '../runner.js';
import type { SessionManager } from '../runtime/sessions.js';
import type { RateLimiter } from '../share/rate-limit.js';
import type { ShareStore } from '../share/store.js';
import { stringSetting } from '../settings.js';
import { analyzeRoutes } from './analyze-routes.js';
import { hostAllowList, securityHeaders } from './security.js';
import { buildRoutes } from './build-routes.js';
import { compareRoutes } from './compare-routes.js';
import { errorHandler } from './errors.js';
import { exampleRoutes } from './examples-routes.js';
import { formatRoutes } from './format-routes.js';
import { gatewayRoutes } from './gateway-routes.js';
import { healthRoutes } from './health-routes.js';
import { lspRoutes } from './lsp-routes.js';
import type { GoplsPool } from '../lsp/pool.js';
import { opsRoutes } from './ops-routes.js';
import { projectRoutes } from './project-routes.js';
import { runRoutes } from './run-routes.js';
import { sessionRoutes } from './session-routes.js';
import { shareRoutes } from './share-routes.js';
import { tourRoutes } from './tour-routes.js';

export interface AppParts {
  builder: Builder;
  examples: ExampleCatalog;
  tour: TourCatalog;
  sessions: SessionManager;
  registry: ReplicaRegistry;
  runner: ScenarioRunner;
  shares: ShareStore;
  shareLimiter: RateLimiter;
  /** Go intelligence (gopls); absent: the /api/lsp routes are not served. */
  lsp?: GoplsPool;
  /** Whether the docker runtime is offered, and why not. */
  docker: DockerStatus;
  /** The built web app, served with a fallback to index.html for client routes such as /p/{id}. */
  webDist?: string;
}

/** Assembles the HTTP surface: /api routes, then the web app. */
export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer, per-client limits need the client's address from X-Forwarded-For.
  const trust = stringSetting('PLAYGROUND_TRUST_PROXY');
  if (trust) app.set('trust proxy', trust);
  // First, before the page's Host allow-list and security headers: a session's requests another
  // replica runs (that replica applies its own), and /gw, the gateway itself, which answers as
  // the plugin decides (any Host a rule matches, repeated headers kept as the upstream sent them).
  app.use(forwardToOwner(parts.sessions, parts.registry));
  app.use('/gw', gatewayRoutes(parts.sessions));
  app.use(hostAllowList());
  app.use(securityHeaders);
  app.use(express.json({ limit: '4mb' }));

  const api = express.Router();
  api.use(healthRoutes(parts.builder, parts.docker, parts.sessions, () => parts.lsp?.status()));
  api.use(buildRoutes(parts.builder));
  api.use(formatRoutes(parts.builder));
  api.use(analyzeRoutes(parts.builder));
  api.use(projectRoutes(parts.builder, parts.runner));
  api.use(exampleRoutes(parts.examples));
  api.use(sessionRoutes(parts.sessions));
  api.use(runRoutes(parts.runner, parts.sessions));
  api.use(compareRoutes(parts.runner, parts.sessions, parts.docker));
  api.use(shareRoutes(parts.shares, parts.shareLimiter));
  api.use(tourRoutes(parts.tour, parts.runner));
  if (parts.lsp) api.use(lspRoutes(parts.lsp));
  api.use((req, res) => {
    res.status(404).json({ error: `no route ${req.method} /api${req.path}` });
  });
  app.use('/api', api);
  app.use(opsRoutes(parts.builder, parts.sessions));

  if (parts.webDist && existsSync(path.join(parts.webDist, 'index.html'))) {
    const index = path.join(parts.webDist, 'index.html');
    // Compressed, and the content-hashed assets cached for a year; the page itself is always
    // revalidated, so a new build is picked up at once. (Compression stays off the API: it would
    // hold back streamed answers.)
    const gzip = compression();
    app.use('/assets', gzip, express.static(path.join(parts.webDist, 'assets'), { immutable: true, maxAge: '365d', index: false }));
    app.use(gzip, express.static(parts.webDist, { index: false, maxAge: 0 }));
    app.get(/^\/(?!api\/).*/, gzip, (_req, res) => res.setHeader('cache-control', 'no-cache').sendFile(index));
  }
  app.use(errorHandler);
  return app;
}
