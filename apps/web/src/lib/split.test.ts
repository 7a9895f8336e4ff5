import { describe, expect, it } from 'vitest';
import { fractionWithin, splitTracks } from './split';

describe('split', () => {
  it('keeps the fraction when both panes get their minimum', () => {
    expect(fractionWithin(0.5, 1920, [400, 360])).toBe(0.5);
  });

  it('holds each pane to its minimum in a smaller container', () => {
    expect(fractionWithin(0.25, 1280, [400, 360])).toBeCloseTo(400 / 1280);
    expect(fractionWithin(0.75, 1280, [400, 360])).toBeCloseTo(1 - 366 / 1280);
  });

  it("gives the first pane its minimum when both cannot fit, as CSS clamp does", () => {
    expect(fractionWithin(0.5, 600, [400, 360])).toBeCloseTo(400 / 600);
  });

  it('writes the same rule as grid tracks', () => {
    expect(splitTracks(0.5, [400, 360])).toBe('clamp(400px, 50%, calc(100% - 366px)) 6px minmax(0, 1fr)');
  });
});
