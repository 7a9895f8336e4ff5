import { Router } from 'express';
import { BuildRequest } from '@playground/shared';
import type { Builder } from '../compile/builder.js';
import { SpeculativeSkipped } from '../compile/errors.js';
import { clientOf } from './client.js';
import { clientGone, handle, HttpError, parseBody } from './errors.js';

/** POST /api/build and GET /api/builds/{id}/main.wasm. */
export function buildRoutes(builder: Builder): Router {
  const r = Router();

  r.post(
    '/build',
    handle(async (req, res) => {
      const { files } = parseBody(BuildRequest, req.body);
      // ?speculative=1: the editor's build after a pause in typing, only on an idle queue (202 when skipped).
      const speculative = req.query.speculative === '1';
      try {
        res.json(await builder.build(files, { signal: clientGone(req, res), client: clientOf(req), speculative }));
      } catch (e) {
        if (!(e instanceof SpeculativeSkipped)) throw e;
        res.status(202).json({ skipped: e.message });
      }
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

  r.get(
    '/builds/:id/main.wasm',
    handle(async (req, res) => {
      // Any replica answers: a build made on another one comes from the shared store.
      const file = await builder.wasmFor(String(req.params.id));
      if (!file) throw new HttpError(404, `no build with id "${req.params.id}"`);
      builder.cache.touch(String(req.params.id));
      // sendFile would add a charset to the type; a wasm module has none.
      res.sendFile(file, { dotfiles: 'allow', headers: { 'content-type': 'application/wasm', 'cache-control': 'public, max-age=31536000, immutable' } });
    }),
  );

  return r;
}


