// proxy_set_tick_period_milliseconds for one VM (CPPH wasm.cc setTimerPeriod, ENVOY
// Wasm::setTickPeriod): on the real clock an unref'd interval timer calls proxy_on_tick; on the
// virtual clock nothing runs by itself and the plugin's advanceTime fires the ticks that fall due.
import type { VirtualClock } from './clock.js';

export class TickTimer {
  periodMs = 0;
  /** Virtual clock: elapsed ns at which the next tick is due. */
  nextDueNs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fire: () => void,
    private readonly clock: VirtualClock | undefined,
  ) {}

  set(ms: number): void {
    this.stop();
    this.periodMs = ms;
    if (this.clock) {
      // The first tick is due one period from now; a period set inside a tick re-arms from then.
      this.nextDueNs = this.clock.elapsedNs + ms * 1e6;
    } else if (ms > 0) {
      this.timer = setInterval(this.fire, ms);
      this.timer.unref();
    }
  }

  /** Virtual clock: a tick is due at or before `ns`. */
  dueBy(ns: number): boolean {
    return this.periodMs > 0 && this.nextDueNs <= ns;
  }

  /** Virtual clock: moves the due time on before the tick runs (so a set_tick_period inside it wins). */
  advance(): void {
    this.nextDueNs += this.periodMs * 1e6;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.periodMs = 0;
  }
}

/**
 * The playground's bound on the CPU a plugin's ticks take on the real clock, over all its VMs, which
 * share one thread (the gateway has none: a tick that works 1.9 s of every 2 holds its worker).
 * After a tick that ran `d` ms, the next may start `d × (100 − percent) / percent` ms after it
 * ended; ticks due before are skipped.
 */
export class TickBudget {
  private nextAllowed = 0;
  skipped = 0;

  constructor(private readonly percent: number) {}

  allows(now: number): boolean {
    if (this.percent >= 100 || now >= this.nextAllowed) return true;
    this.skipped++;
    return false;
  }

  spent(end: number, ms: number): void {
    if (this.percent < 100) this.nextAllowed = end + (ms * (100 - this.percent)) / this.percent;
  }
}
