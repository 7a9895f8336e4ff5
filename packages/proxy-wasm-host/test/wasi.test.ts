// WASI as the gateway serves it (src/wasi.ts, a port of CPPH exports.cc wasi_unstable_*), and the
// restricted callbacks while _initialize runs (CPPH wasm.cc WasmBase::startVm, v8.cc
// "restricted_callback"). Toolchain-free: calls on a bare memory, and hand-assembled modules.
import { describe, expect, it } from 'vitest';
import { GatewayPlugin } from '../src/index.js';
import { createWasi } from '../src/wasi.js';
import { I32, I64, i32, op, wasmModule, type ImportDef } from './support/wasm-module.js';

function bound() {
  const out: { fd: number; text: string }[] = [];
  const wasi = createWasi((fd, text) => out.push({ fd, text }));
  const memory = new WebAssembly.Memory({ initial: 2 });
  wasi.bindMemory(memory);
  const dv = () => new DataView(memory.buffer);
  return { wasi, memory, dv, out, call: (name: string, ...args: unknown[]) => (wasi.imports[name] as (...a: unknown[]) => number)(...args) };
}

describe('the WASI functions, as CPPH exports.cc answers them', () => {
  it('no file system: path_open NOENT, fd_read ENOSYS, no preopened directory, fdstat only for stdout and stderr', () => {
    const { call, dv } = bound();
    expect(call('path_open', 3, 0, 0, 0, 0, 0n, 0n, 0, 0)).toBe(44);
    expect(call('fd_read', 0, 0, 0, 0)).toBe(52);
    expect(call('fd_prestat_get', 3, 0)).toBe(8);
    expect(call('fd_prestat_dir_name', 3, 0, 0)).toBe(52);
    expect(call('path_filestat_get', 3, 0, 0, 0, 0)).toBe(58);
    expect(call('fd_fdstat_get', 0, 64)).toBe(8); // stdin is no descriptor here
    expect(call('fd_fdstat_get', 1, 64)).toBe(0);
    expect(dv().getBigUint64(64 + 8, true)).toBe(64n); // rights: FD_WRITE only
    expect(call('fd_fdstat_set_flags', 1, 0)).toBe(52);
  });

  it('no arguments and no environment', () => {
    const { call, dv } = bound();
    dv().setUint32(0, 7, true);
    dv().setUint32(4, 7, true);
    expect(call('environ_sizes_get', 0, 4)).toBe(0);
    expect([dv().getUint32(0, true), dv().getUint32(4, true)]).toEqual([0, 0]);
    expect(call('args_sizes_get', 0, 4)).toBe(0);
    expect([dv().getUint32(0, true), dv().getUint32(4, true)]).toEqual([0, 0]);
  });

  it('stdout and stderr are captured; other descriptors are EBADF; a bad pointer is EFAULT', () => {
    const { call, dv, memory, out } = bound();
    new Uint8Array(memory.buffer).set(new TextEncoder().encode('hello\n'), 100);
    dv().setUint32(16, 100, true);
    dv().setUint32(20, 6, true);
    expect(call('fd_write', 2, 16, 1, 32)).toBe(0);
    expect(dv().getUint32(32, true)).toBe(6);
    expect(out).toEqual([{ fd: 2, text: 'hello\n' }]);
    expect(call('fd_write', 3, 16, 1, 32)).toBe(8);
    dv().setUint32(20, 0, true);
    expect(call('fd_write', 1, 16, 1, 32)).toBe(0); // an empty write logs nothing (CPPH writevImpl)
    expect(out).toHaveLength(1);
    dv().setUint32(20, 1 << 30, true);
    expect(call('fd_write', 1, 16, 1, 32)).toBe(21);
  });

  it('realtime and monotonic clocks only; random_get up to 64 KiB', () => {
    const { call, dv, memory } = bound();
    expect(call('clock_time_get', 0, 1n, 8)).toBe(0);
    expect(Number(dv().getBigUint64(8, true) / 1_000_000n)).toBeGreaterThan(Date.now() - 5000);
    expect(call('clock_time_get', 1, 1n, 8)).toBe(0);
    expect(call('clock_time_get', 2, 1n, 8)).toBe(58); // process CPU time: ENOTSUP
    expect(call('random_get', 0, 64 * 1024 + 1)).toBe(28);
    expect(call('random_get', 0, -1)).toBe(28); // 0xffffffff, compared unsigned
    // Nanoseconds, not milliseconds times a million.
    const stamps = Array.from({ length: 5 }, () => (call('clock_time_get', 0, 1n, 8), dv().getBigUint64(8, true)));
    expect(stamps.some((t) => t % 1_000_000n !== 0n)).toBe(true);
    expect(call('random_get', 1024, 32)).toBe(0);
    expect(new Uint8Array(memory.buffer, 1024, 32).some((b) => b !== 0)).toBe(true);
    expect(call('random_get', memory.buffer.byteLength - 4, 32)).toBe(21);
  });

  it('proc_exit throws (the VM fails); poll_oneoff reports no events at once', () => {
    const { call, dv } = bound();
    expect(() => call('proc_exit', 2)).toThrow(/exited with code 2/);
    dv().setUint32(40, 9, true);
    expect(call('poll_oneoff', 0, 0, 1, 40)).toBe(0);
    expect(dv().getUint32(40, true)).toBe(0);
  });
});

/** A plugin whose `_initialize` calls `imp` once (arguments all zero; the result dropped). */
function initCalling(imp: ImportDef): Uint8Array {
  const zeros = (imp.params ?? []).flatMap((t) => (t === I64 ? [0x42, 0] : i32(0)));
  return wasmModule({
    imports: [imp],
    memory: { min: 1 },
    funcs: [
      { export: '_initialize', body: [...zeros, op.call, 0, ...(imp.results?.length ? [op.drop] : [])] },
      { export: 'proxy_abi_version_0_2_100' },
      { export: 'proxy_on_vm_start', params: [I32, I32], results: [I32], body: i32(1) },
      { export: 'proxy_on_configure', params: [I32, I32], results: [I32], body: i32(1) },
    ],
  });
}

describe('restricted callbacks while _initialize runs', () => {
  // CPPH wasm.cc WasmBase::startVm: setRestrictedCallback(true, {env.proxy_log and the WASI calls
  // but path_open, fd_read, fd_seek, fd_close, sched_yield, proc_exit}); v8.cc traps any other host
  // function with "restricted_callback", so Go code in init() or a package variable that defines a
  // metric or writes shared data makes the VM fail to start.
  it('a host call other than proxy_log in _initialize traps, and the plugin does not start', async () => {
    const r = await GatewayPlugin.start(initCalling({ module: 'env', name: 'proxy_define_metric', params: [I32, I32, I32, I32], results: [I32] }), { pluginConfig: '' });
    expect(r.configured).toBe(false);
    expect(r.error).toMatch(/restricted_callback: env\.proxy_define_metric is not allowed while the VM initializes/);
  });

  it('WASI calls off the list trap too (sched_yield), those on it do not (random_get, proxy_log)', async () => {
    const yields = await GatewayPlugin.start(initCalling({ module: 'wasi_snapshot_preview1', name: 'sched_yield', results: [I32] }), { pluginConfig: '' });
    expect(yields.error).toMatch(/restricted_callback: wasi\.sched_yield/);
    const random = await GatewayPlugin.start(initCalling({ module: 'wasi_snapshot_preview1', name: 'random_get', params: [I32, I32], results: [I32] }), { pluginConfig: '' });
    expect(random.configured).toBe(true);
    const logs = await GatewayPlugin.start(initCalling({ module: 'env', name: 'proxy_log', params: [I32, I32, I32], results: [I32] }), { pluginConfig: '' });
    expect(logs.configured).toBe(true);
    random.vm.close();
    logs.vm.close();
  });

  it('after _initialize the same calls are allowed (vm_start, configure, callbacks)', async () => {
    const module = wasmModule({
      imports: [{ module: 'wasi_snapshot_preview1', name: 'sched_yield', results: [I32] }],
      memory: { min: 1 },
      funcs: [
        { export: '_initialize' },
        { export: 'proxy_abi_version_0_2_100' },
        { export: 'proxy_on_vm_start', params: [I32, I32], results: [I32], body: [op.call, 0, op.drop, ...i32(1)] },
        { export: 'proxy_on_configure', params: [I32, I32], results: [I32], body: i32(1) },
      ],
    });
    const r = await GatewayPlugin.start(module, { pluginConfig: '' });
    expect(r.configured).toBe(true);
    r.vm.close();
  });

  it('a WASI function the gateway lacks fails the load, as its link step does (CPPH v8.cc link)', async () => {
    const module = initCalling({ module: 'wasi_snapshot_preview1', name: 'sock_open', params: [I32, I32, I32], results: [I32] });
    await expect(GatewayPlugin.start(module, { pluginConfig: '' })).rejects.toThrow(/missing import: wasi_snapshot_preview1\.sock_open/);
  });
});

describe('start-up without the optional exports', () => {
  // CPPH context.cc ContextBase::onStart / onConfigure: no proxy_on_vm_start or proxy_on_configure
  // export means started and configured (true), not a failure.
  it('a module exporting neither proxy_on_vm_start nor proxy_on_configure starts and is configured', async () => {
    const module = wasmModule({
      memory: { min: 1 },
      funcs: [{ export: '_initialize' }, { export: 'proxy_abi_version_0_2_100' }],
    });
    const r = await GatewayPlugin.start(module, { pluginConfig: '{"a":1}' });
    expect(r.configured).toBe(true);
    expect(r.error).toBeUndefined();
    r.vm.close();
  });
});
