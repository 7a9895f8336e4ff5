import { describe, expect, it } from 'vitest';
import { frameBatch } from './frameBatch';

/** Frames run by hand. */
function manualFrames() {
  const queued = new Map<number, () => void>();
  let next = 0;
  return {
    frames: {
      request: (cb: () => void) => {
        queued.set(++next, cb);
        return next;
      },
      cancel: (handle: number) => void queued.delete(handle),
    },
    pending: () => queued.size,
    run: () => {
      const cbs = [...queued.values()];
      queued.clear();
      cbs.forEach((cb) => cb());
    },
  };
}

describe('frameBatch', () => {
  it('hands on what arrived during a frame at once, in order, one frame asked at a time', () => {
    const f = manualFrames();
    const got: number[][] = [];
    const batch = frameBatch<number>((items) => got.push(items), 100, f.frames);
    batch.push(1);
    batch.push(2);
    batch.push(3);
    expect(f.pending()).toBe(1);
    expect(got).toEqual([]);
    f.run();
    expect(got).toEqual([[1, 2, 3]]);
    f.run();
    expect(got).toHaveLength(1); // nothing pending, nothing handed on
    batch.push(4);
    f.run();
    expect(got).toEqual([[1, 2, 3], [4]]);
  });

  it('flushes on demand and cancels the frame it asked for', () => {
    const f = manualFrames();
    const got: string[][] = [];
    const batch = frameBatch<string>((items) => got.push(items), 100, f.frames);
    batch.push('a');
    batch.flush();
    expect(got).toEqual([['a']]);
    expect(f.pending()).toBe(0);
    batch.flush();
    expect(got).toHaveLength(1);
  });

  it('keeps only the newest items while no frame comes (a hidden tab)', () => {
    const f = manualFrames();
    const got: number[][] = [];
    const batch = frameBatch<number>((items) => got.push(items), 10, f.frames);
    for (let i = 0; i < 1000; i++) batch.push(i);
    f.run();
    expect(got).toEqual([Array.from({ length: 10 }, (_, i) => 990 + i)]);
  });
});
