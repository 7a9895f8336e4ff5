// Items that arrive one by one (a session's log events) handed on together,
// once per animation frame. Each event of an EventSource is dispatched on its
// own and React renders after each one (the store's updates are synchronous),
// so a plugin logging hundreds of lines a second would otherwise cost a render
// and a layout per line, and the page falls behind the stream for good.

export interface FrameBatch<T> {
  push: (item: T) => void;
  /** Hands on what is pending now (before an event that must come after it, or when the stream stops). */
  flush: () => void;
}

interface Frames {
  request: (cb: () => void) => number;
  cancel: (handle: number) => void;
}

const browserFrames: Frames = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/**
 * `deliver` gets the items pushed since the last frame, in order. At most the last `keep` are
 * kept: a hidden tab gets no frames, and its pending items must not grow without end (the
 * store keeps no more than that many anyway).
 */
export function frameBatch<T>(deliver: (items: T[]) => void, keep: number, frames: Frames = browserFrames): FrameBatch<T> {
  let pending: T[] = [];
  let frame: number | null = null;

  const flush = () => {
    if (frame !== null) frames.cancel(frame);
    frame = null;
    const items = pending;
    pending = [];
    if (items.length) deliver(items.length > keep ? items.slice(-keep) : items);
  };

  return {
    push: (item) => {
      pending.push(item);
      // Trimmed only once it is twice the bound, so a push stays O(1) on average.
      if (pending.length > 2 * keep) pending = pending.slice(-keep);
      frame ??= frames.request(flush);
    },
    flush,
  };
}
