// src/compile.ts: compilePlugin caps a module's memory and remembers the cap per compiled module;
// a VM started from a compiled module checks that cap against its own limit (checkModuleCap);
// loadModule is the one path both starts take. Modules are built by hand (no Go).
import { describe, expect, it } from 'vitest';
import { checkModuleCap, compilePlugin, DEFAULT_MEMORY_MAX_MIB, loadModule, moduleMemoryCap, registerModuleCap } from '../src/compile.js';
import { enc } from './support/harness.js';
import { wasmModule } from './support/wasm-module.js';

const bytes = () => wasmModule({ memory: { min: 1 } });

/** The pages an instance of `module` can reach. */
async function maxPages(module: WebAssembly.Module): Promise<number> {
  const { exports } = await WebAssembly.instantiate(module);
  const m = exports.memory as WebAssembly.Memory;
  for (;;) {
    try {
      m.grow(1);
    } catch {
      return m.buffer.byteLength / 65536;
    }
  }
}

describe('compilePlugin', () => {
  it('bakes the cap into the module and records it', async () => {
    const m = await compilePlugin(bytes(), { memoryMaxMiB: 2 });
    expect(moduleMemoryCap(m)).toBe(2);
    expect(await maxPages(m)).toBe(32);
  });

  it(`defaults to ${DEFAULT_MEMORY_MAX_MIB} MiB`, async () => {
    expect(moduleMemoryCap(await compilePlugin(bytes()))).toBe(DEFAULT_MEMORY_MAX_MIB);
  });

  it('a module compiled otherwise has no recorded cap', async () => {
    expect(moduleMemoryCap(await WebAssembly.compile(bytes()))).toBeUndefined();
  });

  it('rejects bytes that are not WebAssembly', async () => {
    await expect(compilePlugin(enc('nope'))).rejects.toThrow(/bad magic/);
  });
});

describe('checkModuleCap', () => {
  it('a cap looser than the VM asks for throws, naming both caps and the call that fixes it', async () => {
    const m = await compilePlugin(bytes(), { memoryMaxMiB: 64 });
    expect(() => checkModuleCap(m, 48)).toThrow(
      'the module was compiled with memoryMaxMiB 64 but the VM asks for limits.memoryMaxMiB 48: compile it with compilePlugin(bytes, { memoryMaxMiB: 48 })',
    );
  });

  it('the same or a tighter cap passes and is returned', async () => {
    const m = await compilePlugin(bytes(), { memoryMaxMiB: 64 });
    expect(checkModuleCap(m, 64)).toBe(64);
    expect(checkModuleCap(m, 256)).toBe(64);
  });

  it('a module with no recorded cap passes as uncapped (undefined)', async () => {
    expect(checkModuleCap(await WebAssembly.compile(bytes()), 1)).toBeUndefined();
  });

  it('registerModuleCap records a cap for a module posted to a worker (a new object there)', async () => {
    const m = await WebAssembly.compile(bytes());
    registerModuleCap(m, 128);
    expect(moduleMemoryCap(m)).toBe(128);
    expect(() => checkModuleCap(m, 64)).toThrow(/compiled with memoryMaxMiB 128/);
  });
});

describe('loadModule', () => {
  it('bytes are capped at the VM\'s limit and compiled', async () => {
    const m = await loadModule(bytes(), 1);
    expect(m).toBeInstanceOf(WebAssembly.Module);
    expect(await maxPages(m)).toBe(16);
  });

  it('a compiled module is used as it is when its cap fits, and refused when it is looser', async () => {
    const m = await compilePlugin(bytes(), { memoryMaxMiB: 4 });
    expect(await loadModule(m, 8)).toBe(m);
    await expect(loadModule(m, 2)).rejects.toThrow(/compiled with memoryMaxMiB 4/);
  });
});
