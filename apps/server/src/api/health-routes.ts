import { Router } from 'express';
import { PROFILES } from '@playground/proxy-wasm-host';
import type { Health } from '@playground/shared';
import type { Builder } from '../build/builder.js';
import type { DockerStatus } from '../runtime/docker/engine.js';

/** GET /api/health: what this server can do right now. */
export function healthRoutes(builder: Builder, docker: DockerStatus): Router {
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
      gatewayProfiles: Object.values(PROFILES),
    };
    res.json(body);
  });
  return r;
}
