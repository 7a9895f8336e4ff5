import { Router } from 'express';
import { CheckRequest } from '@playground/shared';
import type { ScenarioRunner } from '../runner.js';
import type { TourCatalog } from '../tour/catalog.js';
import { clientOf } from './client.js';
import { handle, HttpError, parseBody } from './errors.js';

/** GET /api/tour (the lessons), GET /api/tour/{slug or number}, POST /api/check (an exercise). */
export function tourRoutes(tour: TourCatalog, runner: ScenarioRunner): Router {
  const r = Router();
  r.get(
    '/tour',
    handle(async (_req, res) => {
      res.json(await tour.list());
    }),
  );
  r.get(
    '/tour/:lesson',
    handle(async (req, res) => {
      const lesson = await tour.get(String(req.params.lesson));
      if (!lesson) throw new HttpError(404, `no lesson "${req.params.lesson}"`);
      res.json(lesson);
    }),
  );
  r.post(
    '/check',
    handle(async (req, res) => {
      res.json(await runner.check(parseBody(CheckRequest, req.body), clientOf(req)));
    }),
  );
  return r;
}
