// Shared data: a key/value store with compare-and-swap, per vm_id, shared by every VM of a plugin
// (the worker VMs of one gateway), like proxy-wasm-cpp-host's shared_data.cc. It is the only state
// worker VMs share. cas 0 means "no check"; each set takes a new cas from a counter that skips 0.
export class SharedData {
  private data = new Map<string, { value: Uint8Array; cas: number }>();
  private casCounter = 0;

  private nextCas(): number {
    this.casCounter = (this.casCounter + 1) >>> 0;
    if (this.casCounter === 0) this.casCounter = 1;
    return this.casCounter;
  }

  get(vmId: string, key: string): { value: Uint8Array; cas: number } | undefined {
    return this.data.get(`${vmId}\0${key}`);
  }

  /** CPPH SharedData::set: false on a CAS mismatch. */
  set(vmId: string, key: string, value: Uint8Array, cas: number): boolean {
    const k = `${vmId}\0${key}`;
    const cur = this.data.get(k);
    if (cas !== 0 && cur && cur.cas !== cas) return false;
    this.data.set(k, { value, cas: this.nextCas() });
    return true;
  }

  /** Every key of a vm_id (for inspection). */
  keys(vmId: string): string[] {
    const prefix = `${vmId}\0`;
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }
}
