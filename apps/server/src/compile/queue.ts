/** The queue is as long as it may get; the caller should come back later. */
export class QueueFullError extends Error {}

/** Everyone waiting for a queued job went away before it started, so it never ran. */
export class QueueLeftError extends Error {}

interface Waiter {
  client: string;
  start: () => void;
}

/**
 * A queue with a fixed number of slots that serves clients in turn: each client has its own line,
 * and a free slot goes to the next client in rotation, so one client's backlog delays another's
 * first job by at most one job. Each client may have `perClient` jobs waiting, everyone together
 * `maxWaiting`. Waiters learn their position, so the build output can say how long a build waited.
 */
export class BuildQueue {
  private running = 0;
  private readonly lines = new Map<string, Waiter[]>();
  /** Clients with waiters, in the order they are served next. */
  private rotation: string[] = [];
  private waitingCount = 0;

  constructor(
    readonly slots: number,
    readonly maxWaiting = 64,
    readonly perClient = 8,
  ) {}

  get stats() {
    return { running: this.running, queued: this.waitingCount, slots: this.slots };
  }

  /**
   * Runs `job` when a slot is free and it is `client`'s turn. `onQueued` is told the position
   * (1 = next) if it has to wait; if `signal` aborts while it waits, it leaves the queue and the job
   * never runs.
   */
  async run<T>(job: () => Promise<T>, opts: { client?: string; onQueued?: (position: number) => void; signal?: AbortSignal } = {}): Promise<T> {
    const client = opts.client ?? '';
    if (this.running >= this.slots) {
      const line = this.lines.get(client) ?? [];
      if (line.length >= this.perClient) {
        throw new QueueFullError(`you already have ${line.length} builds waiting (at most ${this.perClient}); try again when one has finished`);
      }
      if (this.waitingCount >= this.maxWaiting) {
        throw new QueueFullError(`${this.waitingCount} builds are already waiting; try again in a minute`);
      }
      opts.onQueued?.(this.positionOfNext(client));
      await new Promise<void>((resolve, reject) => {
        const entry: Waiter = { client, start: resolve };
        line.push(entry);
        this.waitingCount++;
        if (!this.lines.has(client)) {
          this.lines.set(client, line);
          this.rotation.push(client);
        }
        opts.signal?.addEventListener('abort', () => {
          if (!this.remove(entry)) return;
          reject(new QueueLeftError('the build left the queue: nobody waits for it any more'));
        });
      });
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.next();
      if (next) next.start();
      else this.running--;
    }
  }

  /** Where a new job of `client` would stand: its own waiting jobs, and one turn of each other client per round before it. */
  private positionOfNext(client: string): number {
    const mine = this.lines.get(client)?.length ?? 0;
    let ahead = mine;
    for (const [c, line] of this.lines) if (c !== client) ahead += Math.min(line.length, mine + 1);
    return ahead + 1;
  }

  private next(): Waiter | undefined {
    const client = this.rotation.shift();
    if (client === undefined) return undefined;
    const line = this.lines.get(client)!;
    const entry = line.shift()!;
    this.waitingCount--;
    if (line.length) this.rotation.push(client);
    else this.lines.delete(client);
    return entry;
  }

  private remove(entry: Waiter): boolean {
    const line = this.lines.get(entry.client);
    const i = line?.indexOf(entry) ?? -1;
    if (!line || i < 0) return false;
    line.splice(i, 1);
    this.waitingCount--;
    if (!line.length) {
      this.lines.delete(entry.client);
      this.rotation = this.rotation.filter((c) => c !== entry.client);
    }
    return true;
  }
}
