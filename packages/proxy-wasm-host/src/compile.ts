// Compiling a plugin once, with its memory cap, so a server can cache one WebAssembly.Module per
// build and start many VMs from it (in-process or in pooled workers) without recompiling.
//
// The memory cap is a property of the compiled code (capMemory rewrites the module's memory maximum
// before compilation), and a WebAssembly.Module does not expose its memory limits. So the cap a
// module was compiled with is remembered here, per module object; a VM started from a module checks
// that cap against its `limits.memoryMaxMiB`. A Module posted to a worker is a new object there: the
// parent passes the cap along and the worker registers it again (registerModuleCap).
import { capMemory } from './wasm-binary.js';
import './webassembly.js';

export const DEFAULT_MEMORY_MAX_MIB = 256;

const caps = new WeakMap<WebAssembly.Module, number>();

export interface CompileOptions {
  /** Cap on the guest linear memory, baked into the module. Default 256 (DEFAULT_LIMITS.memoryMaxMiB). */
  memoryMaxMiB?: number;
}

/** Applies the memory cap to `wasm` and compiles it. The result can be passed to GatewayPlugin.start / IsolatedPlugin.start. */
export async function compilePlugin(wasm: Uint8Array, options: CompileOptions = {}): Promise<WebAssembly.Module> {
  const maxMiB = options.memoryMaxMiB ?? DEFAULT_MEMORY_MAX_MIB;
  const module = await WebAssembly.compile(capMemory(wasm, maxMiB * 1024 * 1024).bytes);
  caps.set(module, maxMiB);
  return module;
}

/** The memory cap (MiB) `module` was compiled with by compilePlugin, or undefined if it was compiled otherwise (uncapped). */
export function moduleMemoryCap(module: WebAssembly.Module): number | undefined {
  return caps.get(module);
}

/** Internal: the isolated worker re-registers the cap the parent verified for a posted module. */
export function registerModuleCap(module: WebAssembly.Module, maxMiB: number): void {
  caps.set(module, maxMiB);
}

/**
 * Throws when a module's baked-in cap is looser than the VM's requested cap. Returns the cap, or
 * undefined for a module not compiled by compilePlugin.
 */
export function checkModuleCap(module: WebAssembly.Module, requestedMiB: number): number | undefined {
  const cap = caps.get(module);
  if (cap !== undefined && cap > requestedMiB) {
    throw new Error(
      `the module was compiled with memoryMaxMiB ${cap} but the VM asks for limits.memoryMaxMiB ${requestedMiB}: compile it with compilePlugin(bytes, { memoryMaxMiB: ${requestedMiB} })`,
    );
  }
  return cap;
}

/**
 * The module a VM runs: bytes are capped at `maxMiB` and compiled; an already compiled module is
 * used as it is (its memory limits cannot be rewritten any more), after checking that the cap
 * compilePlugin baked in is not looser than `maxMiB` (any other module is uncapped).
 */
export async function loadModule(wasm: Uint8Array | WebAssembly.Module, maxMiB: number): Promise<WebAssembly.Module> {
  if (wasm instanceof WebAssembly.Module) {
    checkModuleCap(wasm, maxMiB);
    return wasm;
  }
  return WebAssembly.compile(capMemory(wasm, maxMiB * 1024 * 1024).bytes);
}
