import { HttpRequestMessage } from '@playground/shared';
import type { SessionManager } from '../runtime/sessions.js';
import { HttpError, parseBody } from './errors.js';

/** Checks an exchange request against the size caps before it reaches a plugin. */
export function parseExchangeRequest(body: unknown, sessions: SessionManager): HttpRequestMessage {
  const req = parseBody(HttpRequestMessage, body);
  if (req.headers.length > sessions.limits.maxHeaders) {
    throw new HttpError(413, `too many headers: ${req.headers.length} (at most ${sessions.limits.maxHeaders})`, { field: 'headers' });
  }
  const size = typeof req.body === 'string' ? Buffer.byteLength(req.body) : Math.floor((req.body.base64.length * 3) / 4);
  if (size > sessions.limits.requestBodyBytes) {
    throw new HttpError(413, `request body is ${size} bytes (at most ${sessions.limits.requestBodyBytes})`, { field: 'body' });
  }
  return req;
}
