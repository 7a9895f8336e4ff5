// Shared queues, per vm_id, like proxy-wasm-cpp-host's shared_queue.cc: a queue belongs to the root
// context that registered it last (registering the same name again keeps the id and moves the
// owner); an enqueue from any VM notifies the owner with proxy_on_queue_ready, later, never inside
// the enqueuing call (Envoy posts it to the owner's dispatcher).
type Notify = (id: number) => void;

export class SharedQueues {
  private queues = new Map<number, { items: Uint8Array[]; notify?: Notify }>();
  private ids = new Map<string, number>();
  private nextId = 1;

  register(vmId: string, name: string, notify: Notify): number {
    const k = `${vmId}\0${name}`;
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(k, id);
      this.queues.set(id, { items: [] });
    }
    this.queues.get(id)!.notify = notify;
    return id;
  }

  resolve(vmId: string, name: string): number | undefined {
    return this.ids.get(`${vmId}\0${name}`);
  }

  /** False for an unknown queue id. */
  enqueue(id: number, value: Uint8Array): boolean {
    const q = this.queues.get(id);
    if (!q) return false;
    q.items.push(value);
    const notify = q.notify;
    if (notify) setImmediate(() => notify(id));
    return true;
  }

  /** undefined = unknown id; null = empty. */
  dequeue(id: number): Uint8Array | null | undefined {
    const q = this.queues.get(id);
    if (!q) return undefined;
    return q.items.shift() ?? null;
  }

  /** Whether `notify` (a VM) owns a queue: enqueuing there calls it back. */
  hasSubscriber(notify: Notify): boolean {
    for (const q of this.queues.values()) if (q.notify === notify) return true;
    return false;
  }

  /** A VM that stopped no longer owns its queues. */
  unregister(notify: Notify): void {
    for (const q of this.queues.values()) if (q.notify === notify) q.notify = undefined;
  }
}
