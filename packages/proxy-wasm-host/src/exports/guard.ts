// Every import is wrapped so that nothing thrown by host code reaches the plugin as an exception:
// bad pointers become InvalidMemoryAccess, anything else InternalFailure plus a host warning.
// Faults raised by the guest itself (a trap or proc_exit inside proxy_on_memory_allocate) must
// propagate, since the guest cannot continue after them.
import { WasmResult } from '../abi/enums.js';
import { isGuestFault } from '../errors.js';
import { InvalidMemoryAccess } from '../memory.js';
import { restrictedCallback } from '../wasi.js';
import type { HostEnv } from './host.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ImportFn = (...args: any[]) => number;

export function guard(host: HostEnv, name: string, fn: ImportFn): ImportFn {
  return (...args: unknown[]) => {
    // CPPH WasmBase::startVm: while _initialize runs only env.proxy_log is allowed (v8.cc traps the rest).
    if (host.initializing && name !== 'proxy_log') throw restrictedCallback(`env.${name}`);
    try {
      return fn(...args);
    } catch (e) {
      if (isGuestFault(e)) throw e;
      if (e instanceof InvalidMemoryAccess) {
        host.hostWarn(`${name}: invalid memory access (${e.message})`);
        return WasmResult.InvalidMemoryAccess;
      }
      host.hostWarn(`${name}: host error: ${e instanceof Error ? e.message : String(e)}`);
      return WasmResult.InternalFailure;
    }
  };
}
