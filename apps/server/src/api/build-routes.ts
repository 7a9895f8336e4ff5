import { Router } from 'express';
import { BuildRequest } from '@playground/shared';
import { BadSourcesError } from '../build/validate.js';
import { SandboxUnavailableError, type Builder } from '../build/builder.js';
import { handle, HttpError, parseBody } from './errors.js';

/** POST /api/build and GET /api/builds/{id}/main.wasm. */
export function buildRoutes(builder: Builder): Router {
  const r = Router();

  r.post(
    '/build',
    handle(async (req, res) => {
      const { files } = parseBody(BuildRequest, req.body);
      res.json(await runBuild(builder, files));
    }),
  );

  r.get(
    '/builds/:id',
    handle(async (req, res) => {
      const module = await builder.moduleFiles(String(req.params.id));
      if (!module) throw new HttpError(404, `no build with id "${req.params.id}"`);
      res.json({ buildId: req.params.id, ...module });
    }),
  );

  r.get('/builds/:id/main.wasm', (req, res) => {
    const file = builder.wasmPath(req.params.id);
    if (!file) {
      res.status(404).json({ error: `no build with id "${req.params.id}"` });
      return;
    }
    builder.cache.touch(req.params.id);
    // sendFile would add a charset to the type; a wasm module has none.
    res.sendFile(file, { dotfiles: 'allow', headers: { 'content-type': 'application/wasm', 'cache-control': 'public, max-age=31536000, immutable' } });
  });

  return r;
}

/** Builds, mapping bad sources to 400 and a missing sandbox to 503. Shared by /build and /run. */
export async function runBuild(builder: Builder, files: Parameters<Builder['build']>[0]) {
  try {
    return await builder.build(files);
  } catch (err) {
    if (err instanceof BadSourcesError) throw new HttpError(400, err.message, err.field ? { field: err.field } : {});
    if (err instanceof SandboxUnavailableError) throw new HttpError(503, err.message);
    throw err;
  }
}
