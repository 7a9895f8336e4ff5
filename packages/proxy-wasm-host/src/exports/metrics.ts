// Metrics (ENVOY context.cc defineMetric / incrementMetric / recordMetric / getMetric).
import { MetricType, WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

const KINDS = ['counter', 'gauge', 'histogram'] as const;

export function metricImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_define_metric(type: number, np: number, nl: number, idPtr: number): number {
      const kind = KINDS[type];
      if (!kind) return WasmResult.BadArgument;
      mem.writeU32(idPtr, h.metricsStore.define(kind, mem.readString(np, nl)));
      return WasmResult.Ok;
    },
    proxy_increment_metric(id: number, offset: bigint): number {
      const m = h.metricsStore.get(id >>> 0);
      if (!m) return WasmResult.NotFound;
      const off = BigInt.asIntN(64, BigInt(offset));
      if (m.type === 'counter') {
        if (off <= 0n) return WasmResult.BadArgument;
        m.value += off;
      } else if (m.type === 'gauge') {
        m.value += off;
      } else {
        return WasmResult.BadArgument;
      }
      return WasmResult.Ok;
    },
    proxy_record_metric(id: number, value: bigint): number {
      const m = h.metricsStore.get(id >>> 0);
      if (!m) return WasmResult.NotFound;
      const v = BigInt.asUintN(64, BigInt(value));
      if (m.type === 'counter') {
        // E127 Context::recordMetric: a counter adds the value.
        m.value += v;
      } else if (m.type === 'gauge') {
        m.value = v;
      } else {
        m.value = v;
        m.count++;
        m.sum += v;
      }
      return WasmResult.Ok;
    },
    proxy_get_metric(id: number, resultPtr: number): number {
      const m = h.metricsStore.get(id >>> 0);
      if (!m) return WasmResult.NotFound;
      if (m.type === 'histogram') return WasmResult.BadArgument;
      mem.writeU64(resultPtr, m.value);
      return WasmResult.Ok;
    },
  };
}

export { MetricType };
