import { Router } from 'express';
import { BuildRequest } from '@playground/shared';
import type { Builder } from '../build/builder.js';
import { BadSourcesError, validateFiles } from '../build/validate.js';
import { handle, HttpError, parseBody } from './errors.js';

/** POST /api/analyze: config keys, a config schema and lints, from reading the sources (no build). */
export function analyzeRoutes(builder: Builder): Router {
  const r = Router();
  r.post(
    '/analyze',
    handle(async (req, res) => {
      const { files } = parseBody(BuildRequest, req.body);
      try {
        validateFiles(files, builder.limits);
      } catch (err) {
        if (err instanceof BadSourcesError) throw new HttpError(400, err.message, err.field ? { field: err.field } : {});
        throw err;
      }
      res.json(await builder.analyzer.analyze(files));
    }),
  );
  return r;
}
