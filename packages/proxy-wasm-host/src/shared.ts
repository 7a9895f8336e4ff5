// Shared data (key/value with compare-and-swap) and shared queues, per vm_id like proxy-wasm-cpp-host's
// shared_data.cc / shared_queue.cc. A SharedStore is the "process": VMs given the same store and
// vm_id see each other's data; by default every VM gets its own store (playground sessions stay apart).

export class SharedStore {
  private data = new Map<string, { value: Uint8Array; cas: number }>();
  private casCounter = 0;
  private queues = new Map<number, { vmId: string; name: string; items: Uint8Array[]; notify?: (id: number) => void }>();
  private queueIds = new Map<string, number>();
  private nextQueueId = 1;

  private nextCas(): number {
    // cas 0 means "no check", so the counter skips it.
    this.casCounter = (this.casCounter + 1) >>> 0;
    if (this.casCounter === 0) this.casCounter = 1;
    return this.casCounter;
  }

  get(vmId: string, key: string): { value: Uint8Array; cas: number } | undefined {
    return this.data.get(`${vmId}\0${key}`);
  }

  /** Returns false on CAS mismatch. */
  set(vmId: string, key: string, value: Uint8Array, cas: number): boolean {
    const k = `${vmId}\0${key}`;
    const cur = this.data.get(k);
    if (cas !== 0 && cur && cur.cas !== cas) return false;
    this.data.set(k, { value, cas: this.nextCas() });
    return true;
  }

  registerQueue(vmId: string, name: string, notify: (id: number) => void): number {
    const k = `${vmId}\0${name}`;
    let id = this.queueIds.get(k);
    if (id === undefined) {
      id = this.nextQueueId++;
      this.queueIds.set(k, id);
      this.queues.set(id, { vmId, name, items: [] });
    }
    this.queues.get(id)!.notify = notify;
    return id;
  }

  resolveQueue(vmId: string, name: string): number | undefined {
    return this.queueIds.get(`${vmId}\0${name}`);
  }

  /** Returns false for an unknown queue id. */
  enqueue(id: number, value: Uint8Array): boolean {
    const q = this.queues.get(id);
    if (!q) return false;
    q.items.push(value);
    const notify = q.notify;
    // Envoy posts the notification to the owning VM's dispatcher: never re-enter the guest here.
    if (notify) setImmediate(() => notify(id));
    return true;
  }

  /** undefined = unknown id; null = empty. */
  dequeue(id: number): Uint8Array | null | undefined {
    const q = this.queues.get(id);
    if (!q) return undefined;
    return q.items.shift() ?? null;
  }

  /** Detach a closed VM's queue notifications. */
  unregisterNotify(notify: (id: number) => void): void {
    for (const q of this.queues.values()) if (q.notify === notify) q.notify = undefined;
  }
}

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export class Metrics {
  private byId = new Map<number, { name: string; type: MetricKind; value: bigint; count: number; sum: bigint }>();
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

  get(id: number) {
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
