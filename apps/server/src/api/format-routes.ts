import { Router } from 'express';
import { z } from 'zod';
import type { Builder } from '../compile/builder.js';
import { clientOf } from './client.js';
import { handle, HttpError, parseBody } from './errors.js';

const FormatRequest = z.object({ source: z.string() }).strict();

/** POST /api/format: gofmt, run in the build sandbox. */
export function formatRoutes(builder: Builder): Router {
  const r = Router();
  r.post(
    '/format',
    handle(async (req, res) => {
      const { source } = parseBody(FormatRequest, req.body);
      if (Buffer.byteLength(source) > builder.limits.maxTotalBytes) {
        throw new HttpError(400, `source is too large (at most ${builder.limits.maxTotalBytes} bytes)`, { field: 'source' });
      }
      res.json(await builder.formatter.format(source, clientOf(req)));
    }),
  );
  return r;
}
