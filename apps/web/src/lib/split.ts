// Two panes side by side (or one above the other) with a divider: the first
// takes a stored fraction of the container, but never less than its minimum
// nor so much that the second gets less than its own. The fraction was set in
// some window (a saved layout, a window since made smaller); the minimums hold
// in this one, and the fraction is kept for when the window grows again.

/** The divider's thickness (the grid track between the panes). */
export const DIVIDER_PX = 6;

/** The least size of each pane, in px: [first, second]. */
export type Minimums = readonly [number, number];

/** The grid tracks: the first pane's (the fraction, held to the minimums by CSS clamp, so every resize keeps them), the divider's, the rest. */
export function splitTracks(fraction: number, [first, second]: Minimums): string {
  return `clamp(${first}px, ${fraction * 100}%, calc(100% - ${second + DIVIDER_PX}px)) ${DIVIDER_PX}px minmax(0, 1fr)`;
}

/**
 * The fraction the first pane gets in a container of `size` px: `fraction` held to the minimums
 * as `splitTracks` holds it (when both cannot fit, the first pane's minimum wins, as in CSS clamp).
 */
export function fractionWithin(fraction: number, size: number, [first, second]: Minimums): number {
  if (!(size > 0)) return fraction;
  const lo = first / size;
  const hi = 1 - (second + DIVIDER_PX) / size;
  return Math.max(lo, Math.min(hi, fraction));
}
