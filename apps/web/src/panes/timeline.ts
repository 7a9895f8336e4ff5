// Groups an exchange's timeline with the calls the plugin made (HTTP callouts,
// Redis commands) for display. Pure.
import type { Callout, RedisCall, TimelineEntry } from '../api/types';

/** A call the plugin made to another cluster while the request waited. */
export type PluginCall = { kind: 'http'; call: Callout } | { kind: 'redis'; call: RedisCall };

export interface TimelineRow {
  entry: TimelineEntry;
  calls: PluginCall[];
}

/**
 * Calls are nested under the first callback that paused the stream (that is
 * where a plugin waits for its HTTP call or Redis reply), else listed on their
 * own at the end. The replies arrive in later callbacks (http_call_response,
 * redis_call_response), which stay rows of their own.
 */
export function timelineRows(timeline: TimelineEntry[], callouts: Callout[], redisCalls: RedisCall[] = []): { rows: TimelineRow[]; loose: PluginCall[] } {
  const rows: TimelineRow[] = timeline.map((entry) => ({ entry, calls: [] }));
  const calls: PluginCall[] = [...callouts.map((call) => ({ kind: 'http' as const, call })), ...redisCalls.map((call) => ({ kind: 'redis' as const, call }))];
  const paused = rows.find((r) => /pause|stop/i.test(r.entry.action ?? ''));
  if (paused) {
    paused.calls.push(...calls);
    return { rows, loose: [] };
  }
  return { rows, loose: calls };
}

/** What a Redis call got back, as redis-cli prints it, and whether it failed (no reply, or a Redis error reply). */
export function redisOutcome(call: RedisCall): { text: string; failed: boolean } {
  if (call.status === 'pending') return { text: 'no reply yet', failed: false };
  if (call.status === 'network_error') return { text: call.error ?? 'network error', failed: true };
  const reply = call.reply ?? '(nil)';
  return { text: reply, failed: reply.startsWith('(error)') };
}

export function formatDuration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}
