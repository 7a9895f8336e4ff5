// Subscribes to a session's Server-Sent Events stream (log, exchange,
// session-ended). Returns a function that closes the stream.
import { api } from './client';
import type { SessionEvent } from './types';

export function subscribeSession(sessionId: string, onEvent: (e: SessionEvent) => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(api.eventsUrl(sessionId));
  const parse = (type: SessionEvent['type']) => (ev: MessageEvent) => {
    let data: unknown = {};
    try {
      data = ev.data ? JSON.parse(ev.data) : {};
    } catch {
      data = { message: String(ev.data) };
    }
    onEvent({ type, data } as SessionEvent);
    if (type === 'session-ended') source.close();
  };
  source.addEventListener('log', parse('log'));
  source.addEventListener('exchange', parse('exchange'));
  source.addEventListener('session-ended', parse('session-ended'));
  return () => source.close();
}
