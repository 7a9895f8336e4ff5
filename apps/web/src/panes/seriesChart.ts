// Scales a sequence's per-step values into SVG points. Pure.
export interface ChartPoint {
  x: number;
  y: number;
  value: number;
}

/** Points for values in a box (x from left to right, y from bottom to top); the range starts at 0 unless `fromMin`. */
export function scaleSeries(values: number[], box: { x: number; y: number; w: number; h: number }, fromMin = false): { points: ChartPoint[]; min: number; max: number } {
  const max = Math.max(...values, 0);
  const min = fromMin && values.length ? Math.min(...values) : 0;
  const span = max - min || 1;
  const step = values.length > 1 ? box.w / (values.length - 1) : 0;
  const points = values.map((value, i) => ({
    x: box.x + (values.length > 1 ? i * step : box.w / 2),
    y: box.y + box.h - ((value - min) / span) * box.h,
    value,
  }));
  return { points, min, max };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** A rough trend: the memory growth from the first to the last step, per step. */
export function growthPerStep(values: number[]): number {
  if (values.length < 2) return 0;
  return (values[values.length - 1] - values[0]) / (values.length - 1);
}
