import { Router } from 'express';
import type { ExampleCatalog } from '../examples/catalog.js';
import { handle } from './errors.js';

/** GET /api/examples and GET /api/examples/{name}. */
export function exampleRoutes(catalog: ExampleCatalog): Router {
  const r = Router();
  r.get('/examples', handle(async (_req, res) => res.json(await catalog.list())));
  r.get(
    '/examples/:name',
    handle(async (req, res) => {
      const scenario = await catalog.get(String(req.params.name));
      if (!scenario) res.status(404).json({ error: `no example named "${req.params.name}"` });
      else res.json(scenario);
    }),
  );
  return r;
}
