// Minimal wasm binary surgery: Go's wasm module defines its own memory without a maximum, so the
// only reliable per-VM cap is to rewrite the memory section's limits before compiling. Past the
// cap memory.grow returns -1 and the Go runtime dies with "out of memory" (a VM error, not a crash).

const WASM_PAGE = 65536;

function readLeb(buf: Uint8Array, pos: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('wasm: truncated LEB128');
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 35) throw new Error('wasm: LEB128 too long');
  }
}

function writeLeb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export interface MemoryLimits {
  minPages: number;
  maxPages?: number;
}

/**
 * Returns a copy of `wasm` whose defined memory has max = min(existing max, maxBytes).
 * If the module's initial memory already exceeds the cap, the cap is raised to the initial size.
 * Modules without a memory section (e.g. imported memory) are returned unchanged.
 */
export function capMemory(wasm: Uint8Array, maxBytes: number): { bytes: Uint8Array; limits?: MemoryLimits } {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) {
    throw new Error('not a WebAssembly binary (bad magic)');
  }
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, bodyStart] = readLeb(wasm, pos + 1);
    const bodyEnd = bodyStart + size;
    if (id === 5) {
      let p = bodyStart;
      const [count, p1] = readLeb(wasm, p);
      p = p1;
      if (count !== 1) return { bytes: wasm };
      const flags = wasm[p++];
      if (flags & ~0x01) return { bytes: wasm }; // shared / memory64: leave alone
      const [min, p2] = readLeb(wasm, p);
      p = p2;
      let max: number | undefined;
      if (flags & 1) {
        const [m, p3] = readLeb(wasm, p);
        max = m;
        p = p3;
      }
      let capPages = Math.max(min, Math.floor(maxBytes / WASM_PAGE));
      if (max !== undefined) capPages = Math.min(capPages, max);
      const body = [...writeLeb(1), 0x01, ...writeLeb(min), ...writeLeb(capPages)];
      const section = [5, ...writeLeb(body.length), ...body];
      const out = new Uint8Array(pos + section.length + (wasm.length - bodyEnd));
      out.set(wasm.subarray(0, pos), 0);
      out.set(section, pos);
      out.set(wasm.subarray(bodyEnd), pos + section.length);
      return { bytes: out, limits: { minPages: min, maxPages: capPages } };
    }
    pos = bodyEnd;
  }
  return { bytes: wasm };
}
