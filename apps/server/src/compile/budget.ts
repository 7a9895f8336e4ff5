/** A client used up its build time for now; the API answers 429 with when to come back. */
export class BudgetExceededError extends Error {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}

const WINDOW_MS = 60_000;

/**
 * Build seconds per client over the last minute: a client past its budget gets no new compile until
 * enough of it is a minute old (cached builds are free). So one client's stream of builds cannot
 * keep the compilers to itself on a shared server.
 */
export class BuildBudget {
  private readonly spent = new Map<string, { at: number; seconds: number }[]>();

  constructor(private readonly secondsPerMinute: number) {}

  /** Throws BudgetExceededError when `client` has no build time left now. */
  check(client: string, now = Date.now()): void {
    if (!this.secondsPerMinute) return;
    const recent = this.recent(client, now);
    let used = recent.reduce((n, s) => n + s.seconds, 0);
    if (used < this.secondsPerMinute) return;
    // When enough of the spending is older than a minute to be back under the budget.
    let waitUntil = now;
    for (const s of recent) {
      used -= s.seconds;
      waitUntil = s.at + WINDOW_MS;
      if (used < this.secondsPerMinute) break;
    }
    const retry = Math.max(1, Math.ceil((waitUntil - now) / 1000));
    throw new BudgetExceededError(
      `you used ${Math.round(recent.reduce((n, s) => n + s.seconds, 0))} s of build time in the last minute (the budget is ${this.secondsPerMinute} s); try again in ${retry} s`,
      retry,
    );
  }

  spend(client: string, seconds: number, now = Date.now()): void {
    if (!this.secondsPerMinute) return;
    this.spent.set(client, [...this.recent(client, now), { at: now, seconds }]);
  }

  private recent(client: string, now: number) {
    const list = (this.spent.get(client) ?? []).filter((s) => now - s.at < WINDOW_MS);
    if (list.length) this.spent.set(client, list);
    else this.spent.delete(client);
    return list;
  }
}
