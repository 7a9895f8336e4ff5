/** The queue is as long as it may get; the caller should come back later. */
export class QueueFullError extends Error {}

/**
 * A first-come first-served queue with a fixed number of slots and a bounded number of waiters.
 * Waiters learn their position, so the build output can say how long a build waited.
 */
export class BuildQueue {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(
    readonly slots: number,
    readonly maxWaiting = 64,
  ) {}

  get stats() {
    return { running: this.running, queued: this.waiting.length, slots: this.slots };
  }

  /** Runs `job` when a slot is free. `onQueued` is told the position (1 = next) if it has to wait. */
  async run<T>(job: () => Promise<T>, onQueued?: (position: number) => void): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new QueueFullError(`${this.waiting.length} builds are already waiting; try again in a minute`);
      }
      onQueued?.(this.waiting.length + 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
