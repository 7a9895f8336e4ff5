/** The queue is as long as it may get; the caller should come back later. */
export class QueueFullError extends Error {}

/** Everyone waiting for a queued job went away before it started, so it never ran. */
export class QueueLeftError extends Error {}

/**
 * A first-come first-served queue with a fixed number of slots and a bounded number of waiters.
 * Waiters learn their position, so the build output can say how long a build waited.
 */
export class BuildQueue {
  private running = 0;
  private waiting: { start: () => void }[] = [];

  constructor(
    readonly slots: number,
    readonly maxWaiting = 64,
  ) {}

  get stats() {
    return { running: this.running, queued: this.waiting.length, slots: this.slots };
  }

  /**
   * Runs `job` when a slot is free. `onQueued` is told the position (1 = next) if it has to wait;
   * if `signal` aborts while it waits, it leaves the queue and the job never runs.
   */
  async run<T>(job: () => Promise<T>, onQueued?: (position: number) => void, signal?: AbortSignal): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new QueueFullError(`${this.waiting.length} builds are already waiting; try again in a minute`);
      }
      onQueued?.(this.waiting.length + 1);
      await new Promise<void>((resolve, reject) => {
        const entry = { start: resolve };
        this.waiting.push(entry);
        signal?.addEventListener('abort', () => {
          const i = this.waiting.indexOf(entry);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          reject(new QueueLeftError('the build left the queue: nobody waits for it any more'));
        });
      });
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running--;
    }
  }
}
