// Guest memory access and the ABI's serialization formats.
//
// Values returned to the guest are copied into memory the guest allocates itself
// (proxy_on_memory_allocate), then the (ptr, len) pair is written to the two out-pointers the
// guest passed. Memory may grow during that allocation, so views are re-created on every access.
import type { Headers } from './types.js';

const utf8 = new TextDecoder('utf-8');
const utf8enc = new TextEncoder();

export function encode(s: string): Uint8Array {
  return utf8enc.encode(s);
}
export function decode(b: Uint8Array): string {
  return utf8.decode(b);
}

/** Thrown by memory accessors on out-of-bounds pointers; imports turn it into InvalidMemoryAccess. */
export class InvalidMemoryAccess extends Error {}

export class GuestMemory {
  private memory: WebAssembly.Memory | undefined;
  private alloc: ((size: number) => number) | undefined;
  // Views of the current buffer; a memory.grow detaches it, so they are rebuilt when it changes.
  private buffer: ArrayBuffer | undefined;
  private u8 = new Uint8Array(0);
  private dv = new DataView(new ArrayBuffer(0));

  bind(memory: WebAssembly.Memory, alloc: (size: number) => number): void {
    this.memory = memory;
    this.alloc = alloc;
  }

  get byteLength(): number {
    return this.memory ? this.memory.buffer.byteLength : 0;
  }

  private refresh(): void {
    if (!this.memory) throw new InvalidMemoryAccess('memory not bound');
    const b = this.memory.buffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.u8 = new Uint8Array(b);
      this.dv = new DataView(b);
    }
  }

  private bytes(): Uint8Array {
    this.refresh();
    return this.u8;
  }

  private check(ptr: number, len: number): void {
    this.refresh();
    if (ptr < 0 || len < 0 || ptr + len > this.u8.length) throw new InvalidMemoryAccess(`out of bounds ${ptr}+${len}`);
  }

  /** A copy of guest bytes (the guest may reuse the region after the call). */
  read(ptr: number, len: number): Uint8Array {
    ptr >>>= 0;
    len >>>= 0;
    if (len === 0) return new Uint8Array(0);
    this.check(ptr, len);
    return this.bytes().slice(ptr, ptr + len);
  }

  readString(ptr: number, len: number): string {
    ptr >>>= 0;
    len >>>= 0;
    if (len === 0) return '';
    this.check(ptr, len);
    return utf8.decode(this.bytes().subarray(ptr, ptr + len));
  }

  writeU32(ptr: number, v: number): void {
    ptr >>>= 0;
    this.check(ptr, 4);
    this.refresh();
    this.dv.setUint32(ptr, v >>> 0, true);
  }

  writeU64(ptr: number, v: bigint): void {
    ptr >>>= 0;
    this.check(ptr, 8);
    this.refresh();
    this.dv.setBigUint64(ptr, BigInt.asUintN(64, v), true);
  }

  /** A string as UTF-8 in a guest allocation, encoded in place (no intermediate copy). */
  returnString(s: string, rvPtr: number, rvLen: number): void {
    const len = Buffer.byteLength(s);
    if (len === 0) return this.returnBytes(new Uint8Array(0), rvPtr, rvLen);
    const p = this.alloc!(len) >>> 0;
    if (p === 0) throw new InvalidMemoryAccess('proxy_on_memory_allocate returned 0');
    this.check(p, len);
    utf8enc.encodeInto(s, this.bytes().subarray(p, p + len));
    this.writeU32(rvPtr, p);
    this.writeU32(rvLen, len);
  }

  /** Copies `data` into a guest allocation and writes (ptr, len) to the out-pointers. */
  returnBytes(data: Uint8Array, rvPtr: number, rvLen: number): void {
    if (data.length === 0) {
      this.writeU32(rvPtr, 0);
      this.writeU32(rvLen, 0);
      return;
    }
    const p = this.alloc!(data.length) >>> 0;
    if (p === 0) throw new InvalidMemoryAccess('proxy_on_memory_allocate returned 0');
    this.check(p, data.length);
    this.bytes().set(data, p);
    this.writeU32(rvPtr, p);
    this.writeU32(rvLen, data.length);
  }
}

/** Header pairs: u32 N; N x (u32 keyLen, u32 valLen); then key\0value\0 for each pair. */
export function serializePairs(pairs: Headers): Uint8Array {
  const enc = pairs.map(([k, v]) => [utf8enc.encode(k), utf8enc.encode(v)] as const);
  let size = 4 + enc.length * 8;
  for (const [k, v] of enc) size += k.length + v.length + 2;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, enc.length, true);
  let p = 4;
  for (const [k, v] of enc) {
    dv.setUint32(p, k.length, true);
    dv.setUint32(p + 4, v.length, true);
    p += 8;
  }
  for (const [k, v] of enc) {
    out.set(k, p);
    p += k.length + 1;
    out.set(v, p);
    p += v.length + 1;
  }
  return out;
}

/** Inverse of serializePairs; throws on malformed input (callers map that to SerializationFailure). */
export function deserializePairs(buf: Uint8Array): Headers {
  if (buf.length === 0) return [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = dv.getUint32(0, true);
  if (4 + n * 8 > buf.length) throw new Error('pairs: truncated size table');
  let data = 4 + n * 8;
  const out: Headers = [];
  for (let i = 0; i < n; i++) {
    const kl = dv.getUint32(4 + i * 8, true);
    const vl = dv.getUint32(8 + i * 8, true);
    if (data + kl + vl + 2 > buf.length) throw new Error('pairs: truncated data');
    const k = utf8.decode(buf.subarray(data, data + kl));
    data += kl + 1;
    const v = utf8.decode(buf.subarray(data, data + vl));
    data += vl + 1;
    out.push([k, v]);
  }
  return out;
}

export function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

export function u64le(v: bigint | number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  return b;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
