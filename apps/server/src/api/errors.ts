import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { describeZodError, type ApiError } from '@playground/shared';
import type { z } from 'zod';
import { BadSourcesError } from '../compile/validate.js';
import { BudgetExceededError } from '../compile/budget.js';
import { QueueFullError, QueueLeftError } from '../compile/queue.js';
import { SandboxUnavailableError, ToolFailedError } from '../compile/errors.js';
import { RunnerError } from '../runner.js';
import { SessionError } from '../runtime/sessions.js';
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

/**
 * Every failure the API knows, as the status and body it answers with (one place for the mapping:
 * plain routes, the error handler and the streamed routes' error events); null for the unknown.
 */
export function httpErrorOf(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof SessionError) return new HttpError(err.status, err.message, err.extra);
  if (err instanceof RunnerError) return new HttpError(422, err.message, err.extra);
  if (err instanceof BadSourcesError) return new HttpError(400, err.message, err.field ? { field: err.field } : {});
  if (err instanceof QueueFullError) return new HttpError(429, err.message);
  if (err instanceof BudgetExceededError) return new HttpError(429, err.message, { retryAfterS: err.retryAfterS });
  if (err instanceof SandboxUnavailableError || err instanceof ToolFailedError) return new HttpError(503, err.message);
  // body-parser errors carry a status: malformed JSON (400) and bodies over the limit (413).
  const { status, type } = (err ?? {}) as { status?: number; type?: string };
  if (status === 413) return new HttpError(413, 'request body too large');
  if (status === 400 && type === 'entity.parse.failed') return new HttpError(400, 'request body is not valid JSON');
  return null;
}

/** The last middleware: known errors keep their status, anything else is a logged 500 with no stack. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  // The client is gone; there is no one to answer.
  if (err instanceof QueueLeftError) return void res.destroy();
  const known = httpErrorOf(err);
  if (known) {
    if (typeof known.extra.retryAfterS === 'number') res.setHeader('retry-after', String(known.extra.retryAfterS));
    return void res.status(known.status).json({ error: known.message, ...known.extra });
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
