import express, { Router } from 'express';
import { Scenario } from '@playground/shared';
import type { Builder } from '../compile/builder.js';
import { validateFiles } from '../compile/validate.js';
import { exportBundle } from '../project/bundle.js';
import type { ScenarioRunner } from '../runner.js';
import { clientOf } from './client.js';
import { importZip } from '../project/zip-import.js';
import { handle, HttpError, parseBody } from './errors.js';

/** POST /api/import (a .zip in, a project out) and POST /api/export (a scenario in, a runnable bundle out). */
export function projectRoutes(builder: Builder, runner: ScenarioRunner): Router {
  const r = Router();

  r.post(
    '/import',
    express.raw({ type: ['application/zip', 'application/octet-stream', 'application/x-zip-compressed'], limit: '8mb' }),
    handle(async (req, res) => {
      if (!Buffer.isBuffer(req.body) || !req.body.length) throw new HttpError(400, 'send the .zip as the request body (content-type: application/zip)');
      res.json(await importZip(req.body, builder.limits));
    }),
  );

  r.post(
    '/export',
    handle(async (req, res) => {
      const scenario = parseBody(Scenario, req.body);
      validateFiles(scenario.files, builder.limits);
      const zip = await exportBundle(scenario, builder, runner, clientOf(req));
      res.setHeader('content-type', 'application/zip');
      res.setHeader('content-disposition', 'attachment; filename="plugin.zip"');
      res.end(Buffer.from(zip));
    }),
  );
  return r;
}
