/**
 * A first-come first-served queue with a fixed number of slots. Waiters learn their position,
 * so the build output can say how long a build waited and behind how many others.
 */
export class BuildQueue {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(readonly slots: number) {}

  get stats() {
    return { running: this.running, queued: this.waiting.length, slots: this.slots };
  }

  /** Runs `job` when a slot is free. `onQueued` is told the position (1 = next) if it has to wait. */
  async run<T>(job: () => Promise<T>, onQueued?: (position: number) => void): Promise<T> {
    if (this.running >= this.slots) {
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
