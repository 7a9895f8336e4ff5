import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { describeZodError, type ApiError } from '@playground/shared';
import type { z } from 'zod';
import { BadSourcesError } from '../build/validate.js';
import { QueueFullError, QueueLeftError } from '../build/queue.js';
import { SandboxUnavailableError, ToolFailedError } from '../build/errors.js';
import { log } from '../util/log.js';

/** An error with an HTTP status and a message meant for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Omit<ApiError, 'error'> & Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Parses a request body with a zod schema, turning failures into a 400 that names the field. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) {
    const e = describeZodError(r.error);
    throw new HttpError(400, e.error, e.field ? { field: e.field } : {});
  }
  return r.data;
}

/** Wraps an async handler so a rejection reaches the error handler instead of crashing. */
export const handle =
  (fn: (req: Parameters<RequestHandler>[0], res: Response) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

/** The last middleware: known errors keep their status, anything else is a logged 500 with no stack. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: err.message, ...err.extra });
    return;
  }
  if (err instanceof BadSourcesError) {
    res.status(400).json({ error: err.message, ...(err.field ? { field: err.field } : {}) });
    return;
  }
  if (err instanceof QueueFullError) {
    res.status(429).json({ error: err.message });
    return;
  }
  if (err instanceof QueueLeftError) {
    // The client is gone; there is no one to answer.
    res.destroy();
    return;
  }
  if (err instanceof SandboxUnavailableError || err instanceof ToolFailedError) {
    res.status(503).json({ error: err.message });
    return;
  }
  // body-parser errors carry a status: malformed JSON (400) and bodies over the limit (413).
  const status = (err as { status?: number; type?: string }).status;
  if (status === 413) {
    res.status(413).json({ error: 'request body too large' });
    return;
  }
  if (status === 400 && (err as { type?: string }).type === 'entity.parse.failed') {
    res.status(400).json({ error: 'request body is not valid JSON' });
    return;
  }
  log.error('api.error', { method: req.method, path: req.path, message: (err as Error).message });
  res.status(500).json({ error: 'internal error; the server logged it' });
};

/** An AbortSignal that fires when the client goes away before the answer is sent. */
export function clientGone(req: Request, res: Response): AbortSignal {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return gone.signal;
}
