// Groups an exchange's timeline with its callouts for display. Pure.
import type { Callout, TimelineEntry } from '../api/types';

export interface TimelineRow {
  entry: TimelineEntry;
  callouts: Callout[];
}

/**
 * Callouts are nested under the first callback that paused the stream (that is
 * where a plugin waits for its HTTP call), else listed on their own at the end.
 */
export function timelineRows(timeline: TimelineEntry[], callouts: Callout[]): { rows: TimelineRow[]; loose: Callout[] } {
  const rows: TimelineRow[] = timeline.map((entry) => ({ entry, callouts: [] }));
  const rest = callouts;
  const paused = rows.find((r) => /pause|stop/i.test(r.entry.action ?? ''));
  if (paused) {
    paused.callouts.push(...rest);
    return { rows, loose: [] };
  }
  return { rows, loose: rest };
}

export function formatDuration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}
