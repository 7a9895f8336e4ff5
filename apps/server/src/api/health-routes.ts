import { Router } from 'express';
import { PROFILES } from '@playground/proxy-wasm-host';
import type { Health } from '@playground/shared';
import type { Builder } from '../compile/builder.js';
import type { DockerStatus } from '../runtime/docker/engine.js';
import type { SessionManager } from '../runtime/sessions.js';

/** GET /api/health: what this server can do right now. */
export function healthRoutes(
  builder: Builder,
  docker: DockerStatus,
  sessions: SessionManager,
  intelligence: () => Health['intelligence'] = () => undefined,
): Router {
  const r = Router();
  r.get('/health', (_req, res) => {
    const info = builder.info();
    const body: Health = {
      ok: info.sandbox.available,
      go: { version: info.go.version },
      runtimes: { embedded: true, docker: docker.available },
      docker,
      sandbox: { mode: info.sandbox.mode, ...(info.sandbox.reason ? { reason: info.sandbox.reason } : {}) },
      builds: info.queue,
      sessions: { ...sessions.counts(), total: sessions.limits.total },
      ...(sessions.draining ? { draining: true } : {}),
      gatewayProfiles: Object.values(PROFILES),
      intelligence: intelligence(),
    };
    // A load balancer stops sending new work to a draining replica; its health still answers.
    res.status(sessions.draining ? 503 : 200).json(body);
  });
  return r;
}
