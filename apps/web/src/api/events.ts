// Subscribes to a session's Server-Sent Events stream (log, exchange,
// session-ended). Returns a function that closes the stream. Each event's
// data is checked against the shape its type promises; an event that is not
// JSON or not that shape (a proxy's error page, a newer server) is dropped
// rather than handed to the store, where it would break the panes.
import { Exchange, LogEntry } from '@playground/shared';
import { api } from './client';
import type { SessionEvent } from './types';

type EventType = SessionEvent['type'];

const isEnded = (v: unknown): v is Extract<SessionEvent, { type: 'session-ended' }>['data'] =>
  typeof v === 'object' && v !== null && typeof (v as { sessionId?: unknown }).sessionId === 'string';

/** The event for `type` with `raw` as its data, or null when `raw` does not fit. */
export function parseSessionEvent(type: EventType, raw: string): SessionEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  // The data itself is passed on, not zod's copy: an exchange is matched against
  // the Run's answer by its JSON, which a copy (key order, unknown fields) would change.
  if (type === 'log') return LogEntry.safeParse(data).success ? { type, data: data as LogEntry } : null;
  if (type === 'exchange') return Exchange.safeParse(data).success ? { type, data: data as Exchange } : null;
  return isEnded(data) ? { type, data: { sessionId: data.sessionId, reason: typeof data.reason === 'string' ? data.reason : '' } } : null;
}

export function subscribeSession(sessionId: string, onEvent: (e: SessionEvent) => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(api.eventsUrl(sessionId));
  const listen = (type: EventType) =>
    source.addEventListener(type, (ev: MessageEvent) => {
      const event = parseSessionEvent(type, String(ev.data ?? ''));
      if (event) onEvent(event);
      // The stream is over either way; EventSource would otherwise reconnect.
      if (type === 'session-ended') source.close();
    });
  listen('log');
  listen('exchange');
  listen('session-ended');
  return () => source.close();
}
