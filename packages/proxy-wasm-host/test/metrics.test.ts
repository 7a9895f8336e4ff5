// src/metrics.ts: the stats a plugin's worker VMs share (Envoy keeps them per process), and the
// host calls that act on them (src/exports/metrics.ts: ENVOY context.cc defineMetric /
// incrementMetric / recordMetric / getMetric). No Go: the host calls are driven with a guest
// memory of their own.
import { describe, expect, it } from 'vitest';
import { MetricType, WasmResult } from '../src/abi/enums.js';
import type { HostEnv } from '../src/exports/host.js';
import { metricImports } from '../src/exports/metrics.js';
import { GuestMemory } from '../src/memory.js';
import { Metrics } from '../src/metrics.js';
import { enc } from './support/harness.js';

describe('Metrics store', () => {
  it('define returns one id per (type, name): two VMs defining a counter share it', () => {
    const m = new Metrics();
    const a = m.define('counter', 'requests');
    expect(m.define('counter', 'requests')).toBe(a);
    // The same name as another kind is another metric.
    const g = m.define('gauge', 'requests');
    expect(g).not.toBe(a);
    expect(m.get(a)).toMatchObject({ name: 'requests', type: 'counter', value: 0n });
    expect(m.get(12345)).toBeUndefined();
  });

  it('snapshot: counters and gauges as numbers; histograms add their sample count and sum', () => {
    const m = new Metrics();
    m.get(m.define('counter', 'c'))!.value = 5n;
    m.get(m.define('gauge', 'g'))!.value = 7n;
    const h = m.get(m.define('histogram', 'h'))!;
    Object.assign(h, { value: 30n, count: 2, sum: 40n });
    expect(m.snapshot()).toEqual([
      { name: 'c', type: 'counter', value: 5 },
      { name: 'g', type: 'gauge', value: 7 },
      { name: 'h', type: 'histogram', value: 30, count: 2, sum: 40 },
    ]);
  });
});

/** The metric host calls over a fresh store, with a guest memory to pass names and read results. */
function host() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const mem = new GuestMemory();
  mem.bind(memory, () => 0);
  const store = new Metrics();
  const calls = metricImports({ mem, metricsStore: store } as unknown as HostEnv);
  const dv = () => new DataView(memory.buffer);
  const define = (type: number, name: string): number => {
    new Uint8Array(memory.buffer).set(enc(name), 100);
    expect(calls.proxy_define_metric(type, 100, enc(name).length, 0)).toBe(WasmResult.Ok);
    return dv().getUint32(0, true);
  };
  const read = (id: number): bigint | number => {
    const r = calls.proxy_get_metric(id, 8);
    return r === WasmResult.Ok ? dv().getBigUint64(8, true) : r;
  };
  return { store, calls, define, read };
}

describe('host calls on the store', () => {
  it('a counter: increment adds a positive offset; a zero or negative one is BadArgument; record_metric adds too (E127 recordMetric)', () => {
    const h = host();
    const id = h.define(MetricType.Counter, 'c');
    expect(h.calls.proxy_increment_metric(id, 3n)).toBe(WasmResult.Ok);
    expect(h.calls.proxy_increment_metric(id, 0n)).toBe(WasmResult.BadArgument);
    expect(h.calls.proxy_increment_metric(id, -1n)).toBe(WasmResult.BadArgument);
    expect(h.calls.proxy_record_metric(id, 4n)).toBe(WasmResult.Ok);
    expect(h.read(id)).toBe(7n);
  });

  it('a gauge: increment moves it either way; record_metric sets it', () => {
    const h = host();
    const id = h.define(MetricType.Gauge, 'g');
    h.calls.proxy_record_metric(id, 10n);
    h.calls.proxy_increment_metric(id, -3n);
    expect(h.read(id)).toBe(7n);
    h.calls.proxy_record_metric(id, 2n);
    expect(h.read(id)).toBe(2n);
  });

  it('a histogram: each record is a sample (count, sum, last value); increment and get are BadArgument', () => {
    const h = host();
    const id = h.define(MetricType.Histogram, 'latency');
    h.calls.proxy_record_metric(id, 10n);
    h.calls.proxy_record_metric(id, 30n);
    expect(h.calls.proxy_increment_metric(id, 1n)).toBe(WasmResult.BadArgument);
    expect(h.read(id)).toBe(WasmResult.BadArgument);
    expect(h.store.snapshot()).toEqual([{ name: 'latency', type: 'histogram', value: 30, count: 2, sum: 40 }]);
  });

  it('an unknown metric id is NotFound; an unknown metric type is BadArgument', () => {
    const h = host();
    expect(h.calls.proxy_increment_metric(99, 1n)).toBe(WasmResult.NotFound);
    expect(h.calls.proxy_record_metric(99, 1n)).toBe(WasmResult.NotFound);
    expect(h.read(99)).toBe(WasmResult.NotFound);
    expect(h.calls.proxy_define_metric(7, 100, 1, 0)).toBe(WasmResult.BadArgument);
  });

  it('a name defined twice (two worker VMs) is one counter: both add to it', () => {
    const h = host();
    const a = h.define(MetricType.Counter, 'shared');
    const b = h.define(MetricType.Counter, 'shared');
    h.calls.proxy_increment_metric(a, 1n);
    h.calls.proxy_increment_metric(b, 1n);
    expect(h.read(a)).toBe(2n);
  });
});
