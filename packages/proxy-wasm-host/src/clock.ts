// The plugin's clock. `real` (default): WASI clocks and ticks follow the host. `virtual`: time stands
// still unless the embedder advances it (PluginVm.advanceTime) or the plugin sleeps (poll_oneoff on a
// clock advances it instead of blocking); ticks fire from advanceTime, in order, at their due times.
export class VirtualClock {
  /** Nanoseconds elapsed on the virtual clock since the VM started. */
  elapsedNs = 0;
  private readonly wallStartNs: bigint;
  private readonly monoStartNs: bigint;

  constructor(startMs: number = Date.now()) {
    this.wallStartNs = BigInt(Math.round(startMs)) * 1_000_000n;
    this.monoStartNs = process.hrtime.bigint();
  }

  /** WASI clock_time_get: 0 realtime, 1 monotonic; other clocks are not virtualized (undefined). */
  read(clockId: number): bigint | undefined {
    const off = BigInt(Math.round(this.elapsedNs));
    if (clockId === 0) return this.wallStartNs + off;
    if (clockId === 1) return this.monoStartNs + off;
    return undefined;
  }

  /** Wall time in epoch milliseconds. */
  nowMs(): number {
    return Number(this.wallStartNs / 1_000_000n) + this.elapsedNs / 1e6;
  }

  advanceNs(ns: number): void {
    if (ns > 0) this.elapsedNs += ns;
  }
}
