import { describe, expect, it } from 'vitest';
import { formatBytes, growthPerStep, scaleSeries } from './seriesChart';

describe('series chart', () => {
  it('scales values into the box, bottom to top', () => {
    const { points, max } = scaleSeries([0, 5, 10], { x: 10, y: 0, w: 100, h: 50 });
    expect(max).toBe(10);
    expect(points.map((p) => [p.x, p.y])).toEqual([
      [10, 50],
      [60, 25],
      [110, 0],
    ]);
    expect(scaleSeries([7], { x: 0, y: 0, w: 100, h: 50 }).points[0].x).toBe(50);
    expect(scaleSeries([4, 6], { x: 0, y: 0, w: 10, h: 10 }, true).points.map((p) => p.y)).toEqual([10, 0]);
  });
  it('formats bytes and growth', () => {
    expect(formatBytes(2 * 1024 * 1024)).toBe('2.00 MiB');
    expect(growthPerStep([100, 200, 300])).toBe(100);
  });
});
