// src/memory.ts: the ABI's header-pairs serde (CPPH pairs_util.cc PairsUtil::marshalPairs / toPairs)
// and GuestMemory, the host's window on the guest's linear memory. No Go: a WebAssembly.Memory and a
// bump allocator stand in for the guest and its proxy_on_memory_allocate.
import { describe, expect, it } from 'vitest';
import { concatBytes, deserializePairs, GuestMemory, InvalidMemoryAccess, serializePairs, u32le, u64le } from '../src/memory.js';
import type { Headers } from '../src/index.js';
import { dec, enc } from './support/harness.js';

describe('header pairs', () => {
  it('use the ABI layout: u32 count, u32 key/value lengths in UTF-8 bytes, then key\\0value\\0', () => {
    const b = serializePairs([['a', 'ü']]);
    // count 1 | key length 1 | value length 2 (ü is two bytes) | "a" NUL 0xc3 0xbc NUL
    expect([...b]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0x61, 0, 0xc3, 0xbc, 0]);
  });

  it('round-trip in order, keeping repeated names, empty values and non-ASCII text', () => {
    const pairs: Headers = [
      [':path', '/a?b=c'],
      ['x-dup', '1'],
      ['x-dup', '2'],
      ['x-empty', ''],
      ['x-utf8', 'grüße 日本 🎉'],
      ['', 'empty name'],
    ];
    expect(deserializePairs(serializePairs(pairs))).toEqual(pairs);
  });

  it('an empty map is a zero count; an empty buffer also reads as no pairs', () => {
    expect([...serializePairs([])]).toEqual([0, 0, 0, 0]);
    expect(deserializePairs(new Uint8Array([0, 0, 0, 0]))).toEqual([]);
    expect(deserializePairs(new Uint8Array(0))).toEqual([]);
  });

  it('read a view into a larger buffer at its own offset', () => {
    const inner = serializePairs([['k', 'v']]);
    const big = new Uint8Array(inner.length + 5);
    big.set(inner, 5);
    expect(deserializePairs(big.subarray(5))).toEqual([['k', 'v']]);
  });

  it('malformed input throws (the host calls answer SerializationFailure) instead of reading past the end', () => {
    const good = serializePairs([['key', 'value']]);
    // The size table promises more pairs than the buffer holds.
    const tooMany = good.slice();
    tooMany[0] = 3;
    expect(() => deserializePairs(tooMany)).toThrow(/truncated size table/);
    // A huge count is refused before anything is allocated for it.
    expect(() => deserializePairs(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(/truncated size table/);
    // The data is shorter than the lengths say (the last NUL is missing).
    expect(() => deserializePairs(good.subarray(0, good.length - 1))).toThrow(/truncated data/);
    // Fewer bytes than the count itself.
    expect(() => deserializePairs(new Uint8Array([1, 0]))).toThrow();
  });
});

describe('little-endian integers and concatenation', () => {
  it('u32le / u64le write little-endian; negative values wrap to two\'s complement', () => {
    expect([...u32le(0x01020304)]).toEqual([4, 3, 2, 1]);
    expect([...u64le(1234)]).toEqual([0xd2, 0x04, 0, 0, 0, 0, 0, 0]);
    expect([...u64le(-1n)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect([...u64le(2n ** 40n + 1n)]).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('concatBytes joins in order, and either side may be empty', () => {
    expect(dec(concatBytes(enc('ab'), enc('cd')))).toBe('abcd');
    expect(dec(concatBytes(new Uint8Array(0), enc('cd')))).toBe('cd');
    expect(dec(concatBytes(enc('ab'), new Uint8Array(0)))).toBe('ab');
  });
});

/** A guest stand-in: one page of memory, and an allocator that grows it when it runs out. */
function guest(opts: { failAlloc?: boolean } = {}) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 8 });
  let top = 1024;
  const allocs: number[] = [];
  const mem = new GuestMemory();
  mem.bind(memory, (size) => {
    allocs.push(size);
    if (opts.failAlloc) return 0;
    while (top + size > memory.buffer.byteLength) memory.grow(1);
    const p = top;
    top += size;
    return p;
  });
  const view = () => new DataView(memory.buffer);
  return { memory, mem, allocs, view, bytes: () => new Uint8Array(memory.buffer) };
}

describe('GuestMemory', () => {
  it('before bind every access is an InvalidMemoryAccess', () => {
    const mem = new GuestMemory();
    expect(mem.byteLength).toBe(0);
    expect(() => mem.read(0, 1)).toThrow(InvalidMemoryAccess);
    expect(() => mem.writeU32(0, 1)).toThrow(InvalidMemoryAccess);
  });

  it('read returns a copy: the guest may reuse the region after the call', () => {
    const g = guest();
    g.bytes().set(enc('hello'), 100);
    const copy = g.mem.read(100, 5);
    g.bytes().set(enc('XXXXX'), 100);
    expect(dec(copy)).toBe('hello');
    expect(g.mem.readString(100, 5)).toBe('XXXXX');
  });

  it('out-of-bounds pointers throw InvalidMemoryAccess; a pointer above 2 GiB (a negative i32) does not wrap', () => {
    const g = guest();
    expect(() => g.mem.read(65536 - 2, 4)).toThrow(InvalidMemoryAccess);
    expect(() => g.mem.readString(70000, 1)).toThrow(InvalidMemoryAccess);
    expect(() => g.mem.read(-4, 4)).toThrow(InvalidMemoryAccess);
    expect(() => g.mem.writeU32(65535, 1)).toThrow(InvalidMemoryAccess);
    expect(() => g.mem.writeU64(65530, 1n)).toThrow(InvalidMemoryAccess);
    // Reading the last bytes exactly is fine, and a zero-length read never touches memory.
    expect(g.mem.read(65532, 4)).toHaveLength(4);
    expect(g.mem.read(1e9, 0)).toHaveLength(0);
  });

  it('writes u32 and u64 little-endian', () => {
    const g = guest();
    g.mem.writeU32(8, 0xdeadbeef);
    g.mem.writeU64(16, -2n);
    expect(g.view().getUint32(8, true)).toBe(0xdeadbeef);
    expect(g.view().getBigUint64(16, true)).toBe(2n ** 64n - 2n);
  });

  it('returnBytes copies into a guest allocation and writes (ptr, len) to the out-pointers', () => {
    const g = guest();
    g.mem.returnBytes(enc('value'), 0, 4);
    const p = g.view().getUint32(0, true);
    expect(g.view().getUint32(4, true)).toBe(5);
    expect(dec(g.bytes().slice(p, p + 5))).toBe('value');
    expect(g.allocs).toEqual([5]);
  });

  it('an empty value writes (0, 0) without asking the guest to allocate', () => {
    const g = guest();
    g.view().setUint32(0, 99, true);
    g.view().setUint32(4, 99, true);
    g.mem.returnBytes(new Uint8Array(0), 0, 4);
    g.mem.returnString('', 0, 4);
    expect([g.view().getUint32(0, true), g.view().getUint32(4, true)]).toEqual([0, 0]);
    expect(g.allocs).toEqual([]);
  });

  it('returnString sizes the allocation in UTF-8 bytes, not characters', () => {
    const g = guest();
    g.mem.returnString('日本🎉', 0, 4);
    const p = g.view().getUint32(0, true);
    const len = g.view().getUint32(4, true);
    expect(len).toBe(10);
    expect(g.allocs).toEqual([10]);
    expect(dec(g.bytes().slice(p, p + len))).toBe('日本🎉');
  });

  it('memory growing inside proxy_on_memory_allocate does not lose the write (views are rebuilt)', () => {
    const g = guest();
    const before = g.memory.buffer;
    const big = new Uint8Array(100_000).fill(7);
    g.mem.returnBytes(big, 0, 4);
    expect(g.memory.buffer).not.toBe(before);
    expect(g.mem.byteLength).toBeGreaterThan(65536);
    const p = g.view().getUint32(0, true);
    expect(g.view().getUint32(4, true)).toBe(100_000);
    expect(g.bytes()[p]).toBe(7);
    expect(g.bytes()[p + 99_999]).toBe(7);
  });

  it('a guest allocator answering 0 is an InvalidMemoryAccess (CPPH copyToPointerSize fails)', () => {
    const g = guest({ failAlloc: true });
    expect(() => g.mem.returnBytes(enc('x'), 0, 4)).toThrow(InvalidMemoryAccess);
    expect(() => g.mem.returnString('x', 0, 4)).toThrow(InvalidMemoryAccess);
  });
});
