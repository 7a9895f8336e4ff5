// src/wasm-binary.ts: capMemory rewrites a module's memory maximum before it is compiled (Go's wasm
// defines its memory with no maximum). Checked on modules built by hand (test/support/wasm-module.ts),
// by instantiating the result: memory grows to the cap and no further.
import { describe, expect, it } from 'vitest';
import { capMemory } from '../src/wasm-binary.js';
import { enc } from './support/harness.js';
import { I32, i32, section, wasmModule } from './support/wasm-module.js';

const MiB = 1024 * 1024;
const PAGES_PER_MIB = 16;

/** Instantiates `bytes` and returns its exported memory. */
async function memoryOf(bytes: Uint8Array): Promise<WebAssembly.Memory> {
  const { exports } = await WebAssembly.instantiate(await WebAssembly.compile(bytes));
  return exports.memory as WebAssembly.Memory;
}

/** How many pages the memory reaches by growing one page at a time. */
function growToLimit(m: WebAssembly.Memory, stopAt = 10_000): number {
  for (let i = 0; i < stopAt; i++) {
    try {
      m.grow(1);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      break;
    }
  }
  return m.buffer.byteLength / 65536;
}

describe('capMemory', () => {
  it('a memory with no maximum gets the cap as its maximum', async () => {
    const bytes = wasmModule({ memory: { min: 1 } });
    const original = bytes.slice();
    const { bytes: capped, limits } = capMemory(bytes, 2 * MiB);
    expect(limits).toEqual({ minPages: 1, maxPages: 2 * PAGES_PER_MIB });
    expect(growToLimit(await memoryOf(capped))).toBe(2 * PAGES_PER_MIB);
    // A copy: the caller's bytes are left as they were (and stay uncapped).
    expect(bytes).toEqual(original);
    expect(growToLimit(await memoryOf(bytes), 100)).toBe(101);
  });

  it('a module\'s own lower maximum is kept', async () => {
    const { bytes, limits } = capMemory(wasmModule({ memory: { min: 1, max: 10 } }), 64 * MiB);
    expect(limits).toEqual({ minPages: 1, maxPages: 10 });
    expect(growToLimit(await memoryOf(bytes))).toBe(10);
  });

  it('a higher maximum is lowered to the cap', async () => {
    const { bytes, limits } = capMemory(wasmModule({ memory: { min: 1, max: 1000 } }), 1 * MiB);
    expect(limits!.maxPages).toBe(PAGES_PER_MIB);
    expect(growToLimit(await memoryOf(bytes))).toBe(PAGES_PER_MIB);
  });

  it('an initial memory above the cap raises the cap to it (the module must still instantiate)', async () => {
    const { bytes, limits } = capMemory(wasmModule({ memory: { min: 40 } }), 1 * MiB);
    expect(limits).toEqual({ minPages: 40, maxPages: 40 });
    expect(growToLimit(await memoryOf(bytes))).toBe(40);
  });

  it('multi-byte sizes are rewritten and the sections after the memory stay intact', async () => {
    // min 200 pages and a 256 MiB cap (4096 pages) both need two LEB128 bytes; the section grows.
    const bytes = wasmModule({
      memory: { min: 200 },
      funcs: [{ export: 'answer', results: [I32], body: i32(42) }],
      custom: { name: 'note', payload: [...enc('kept')] },
    });
    const { bytes: capped, limits } = capMemory(bytes, 256 * MiB);
    expect(limits).toEqual({ minPages: 200, maxPages: 4096 });
    expect(capped.length).toBeGreaterThan(bytes.length);
    const module = await WebAssembly.compile(capped);
    const { exports } = await WebAssembly.instantiate(module);
    expect((exports.answer as () => number)()).toBe(42);
    expect((exports.memory as WebAssembly.Memory).buffer.byteLength).toBe(200 * 65536);
    expect(Buffer.from(capped).includes(Buffer.from('kept'))).toBe(true);
  });

  it('a module without memory, or with an imported one, is returned unchanged with no limits', () => {
    const none = wasmModule({ funcs: [{ export: 'f' }] });
    expect(capMemory(none, MiB)).toEqual({ bytes: none });
    const imported = wasmModule({ memory: { min: 1, imported: true }, funcs: [{ export: 'f' }] });
    expect(WebAssembly.validate(imported)).toBe(true);
    expect(capMemory(imported, MiB)).toEqual({ bytes: imported });
  });

  it('a shared memory is left alone', () => {
    // memory section: one memory, flags 3 (shared, has max), min 1, max 2
    const shared = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(5, [1, 0x03, 1, 2])]);
    expect(capMemory(shared, MiB).bytes).toBe(shared);
  });

  it('refuses bytes that are not WebAssembly', () => {
    expect(() => capMemory(enc('not wasm at all'), MiB)).toThrow(/bad magic/);
    expect(() => capMemory(new Uint8Array([0, 0x61, 0x73]), MiB)).toThrow(/bad magic/);
  });

  it('a truncated section size is an error, not a silent pass', () => {
    // A section id followed by an unterminated LEB128 size.
    expect(() => capMemory(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 0x80]), MiB)).toThrow(/truncated LEB128/);
  });
});
