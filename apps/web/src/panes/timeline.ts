// Groups an exchange's timeline with its callouts for display. Pure.
import type { Callout, TimelineEntry } from '../api/types';

export interface TimelineRow {
  entry: TimelineEntry;
  callouts: Callout[];
}

/**
 * Each callout is nested under the entry that points at it (`callout` index),
 * else under the first paused entry, else listed on its own at the end.
 */
export function timelineRows(timeline: TimelineEntry[], callouts: Callout[]): { rows: TimelineRow[]; loose: Callout[] } {
  const rows: TimelineRow[] = timeline.map((entry) => ({ entry, callouts: [] }));
  const used = new Set<number>();
  rows.forEach((r) => {
    const i = r.entry.callout;
    if (typeof i === 'number' && callouts[i] && !used.has(i)) {
      r.callouts.push(callouts[i]);
      used.add(i);
    }
  });
  const rest = callouts.filter((_, i) => !used.has(i));
  const paused = rows.find((r) => /pause|stop/i.test(r.entry.action));
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
