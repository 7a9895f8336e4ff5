// src/ticks.ts: proxy_set_tick_period_milliseconds for one VM (CPPH wasm.cc setTimerPeriod, ENVOY
// Wasm::setTickPeriod). On the real clock an interval timer fires proxy_on_tick; a new period
// replaces the old one and 0 stops it. On the virtual clock nothing fires by itself: the plugin's
// advanceTime asks which tick is due and moves it on.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../src/clock.js';
import { TickTimer } from '../src/ticks.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('real clock', () => {
  it('fires once per period', () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    const t = new TickTimer(fire, undefined);
    t.set(100);
    vi.advanceTimersByTime(350);
    expect(fire).toHaveBeenCalledTimes(3);
    t.stop();
  });

  it('a new period replaces the old one, from now', () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    const t = new TickTimer(fire, undefined);
    t.set(100);
    vi.advanceTimersByTime(90);
    t.set(50);
    vi.advanceTimersByTime(40);
    expect(fire).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(60);
    expect(fire).toHaveBeenCalledTimes(2);
    expect(t.periodMs).toBe(50);
    t.stop();
  });

  it('period 0 and stop() end the ticks', () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    const t = new TickTimer(fire, undefined);
    t.set(10);
    t.set(0);
    vi.advanceTimersByTime(100);
    expect(fire).not.toHaveBeenCalled();
    expect(t.periodMs).toBe(0);
    t.set(10);
    t.stop();
    vi.advanceTimersByTime(100);
    expect(fire).not.toHaveBeenCalled();
    expect(t.periodMs).toBe(0);
  });

  it('the timer does not keep the process alive (unref)', () => {
    const t = new TickTimer(() => undefined, undefined);
    t.set(1000);
    const timer = (t as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    t.stop();
  });
});

describe('virtual clock', () => {
  it('nothing fires on real time', () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    const t = new TickTimer(fire, new VirtualClock(0));
    t.set(10);
    vi.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled();
  });

  it('the first tick is due one period after the period was set, on the virtual clock', () => {
    const clock = new VirtualClock(0);
    clock.advanceNs(50e6);
    const t = new TickTimer(() => undefined, clock);
    t.set(100);
    expect(t.nextDueNs).toBe(150e6);
    expect(t.dueBy(149e6)).toBe(false);
    expect(t.dueBy(150e6)).toBe(true);
  });

  it('advance moves the due time on by one period; a period set during the tick re-arms from the clock', () => {
    const clock = new VirtualClock(0);
    const t = new TickTimer(() => undefined, clock);
    t.set(100);
    clock.elapsedNs = t.nextDueNs;
    t.advance();
    expect(t.nextDueNs).toBe(200e6);
    // The plugin changes its period inside the tick at 100 ms: next due at 100 + 30.
    t.set(30);
    expect(t.nextDueNs).toBe(130e6);
  });

  it('period 0 or stop: never due', () => {
    const t = new TickTimer(() => undefined, new VirtualClock(0));
    t.set(0);
    expect(t.dueBy(1e12)).toBe(false);
    t.set(10);
    t.stop();
    expect(t.dueBy(1e12)).toBe(false);
  });
});
