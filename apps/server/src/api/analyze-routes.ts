import { Router } from 'express';
import { BuildRequest } from '@playground/shared';
import type { Builder } from '../compile/builder.js';
import { validateFiles } from '../compile/validate.js';
import { clientOf } from './client.js';
import { clientGone, handle, parseBody } from './errors.js';

/** POST /api/analyze: config keys, a config schema and lints, from reading the sources (no build). */
export function analyzeRoutes(builder: Builder): Router {
  const r = Router();
  r.post(
    '/analyze',
    handle(async (req, res) => {
      const { files } = parseBody(BuildRequest, req.body);
      validateFiles(files, builder.limits);
      res.json(await builder.vet.analyze(files, clientOf(req), clientGone(req, res)));
    }),
  );
  return r;
}
