// Metrics (ENVOY context.cc defineMetric / incrementMetric / recordMetric / getMetric). Envoy keeps
// stats per process, so the worker VMs of one plugin share them: a counter defined by two workers
// is one counter.
export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface Metric {
  name: string;
  type: MetricKind;
  value: bigint;
  count: number;
  sum: bigint;
}

export class Metrics {
  private byId = new Map<number, Metric>();
  private byName = new Map<string, number>();
  private nextId = 1;

  define(type: MetricKind, name: string): number {
    const key = `${type}\0${name}`;
    const existing = this.byName.get(key);
    if (existing !== undefined) return existing;
    const id = this.nextId++;
    this.byId.set(id, { name, type, value: 0n, count: 0, sum: 0n });
    this.byName.set(key, id);
    return id;
  }

  get(id: number): Metric | undefined {
    return this.byId.get(id);
  }

  snapshot() {
    return [...this.byId.values()].map((m) => ({
      name: m.name,
      type: m.type,
      value: Number(m.value),
      ...(m.type === 'histogram' ? { count: m.count, sum: Number(m.sum) } : {}),
    }));
  }
}
