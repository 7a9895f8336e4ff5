// WASI as the gateway serves it: CPPH exports.cc's own wasi_unstable_* functions, ported one by
// one, not a general WASI. No file system (path_open is NOENT, no preopened directory, fd_read
// ENOSYS), no arguments, no environment, stdout and stderr captured (onOutput: a Go panic's
// message and stack end up in the VM error), clocks and randomness. The differences are the
// playground's, and say why:
// - proc_exit throws ProcExit, which unwinds out of the export and fails the VM (CPPH only
//   traces it and returns, and the Go runtime, which never expects proc_exit to return, then
//   traps);
// - poll_oneoff reports no events at once as CPPH's does, so Go's scheduler spins on the clock until
//   a time.Sleep is over; on a virtual clock a sleep instead moves the clock and returns.
// Each is a plain JS function: nothing here reaches the process's files or descriptors, and a VM
// instantiates without a native WASI instance per VM.
import { randomFillSync } from 'node:crypto';
import type { VirtualClock } from './clock.js';
import { ProcExit } from './errors.js';

const ESUCCESS = 0;
const EBADF = 8;
const EFAULT = 21;
const ENOTDIR = 20;
const EINVAL = 28;
const ENOENT = 44;
const ENOSYS = 52;
const ENOTSUP = 58;

const MONO_AT_START_NS = process.hrtime.bigint();
const WALL_AT_START_NS = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

/** CPPH limits.h PROXY_WASM_HOST_WASI_RANDOM_GET_MAX_SIZE_BYTES. */
const RANDOM_GET_MAX_BYTES = 64 * 1024;

/**
 * The WASI calls CPPH WasmBase::startVm does not allow while _initialize runs (its allow-list names
 * every other one it implements): these trap then.
 */
export const RESTRICTED_DURING_INITIALIZE = new Set(['path_open', 'fd_read', 'fd_seek', 'fd_close', 'sched_yield', 'proc_exit']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WasiFn = (...args: any[]) => number | never;

export interface WasiBinding {
  imports: Record<string, WasiFn>;
  /**
   * The module's WASI imports (`wasi_snapshot_preview1`, and the older `wasi_unstable`, as CPPH
   * serves both). A function CPPH lacks fails the load, as the gateway's link step does.
   */
  importsFor(module: WebAssembly.Module): Record<string, Record<string, WasiFn>>;
  initialize(instance: WebAssembly.Instance): void;
  bindMemory(memory: WebAssembly.Memory): void;
}

/**
 * `restricted`: whether _initialize is running (calls in RESTRICTED_DURING_INITIALIZE trap then).
 * With `clock`, clock_time_get (realtime, monotonic) reads the virtual clock and a sleep advances it.
 */
export function createWasi(onOutput: (fd: 1 | 2, text: string) => void, clock?: VirtualClock, restricted: () => boolean = () => false): WasiBinding {
  let memory: WebAssembly.Memory | undefined;
  const dec = new TextDecoder();
  const view = () => new DataView(memory!.buffer);
  /** Runs a write into guest memory; a bad pointer is EFAULT, as CPPH's setWord/setMemory failing. */
  const write = (fn: (dv: DataView) => void): number => {
    if (!memory) return EFAULT;
    try {
      fn(view());
      return ESUCCESS;
    } catch {
      return EFAULT;
    }
  };

  // Nanoseconds, as Envoy's systemTime(): the wall clock at start plus the monotonic time since.
  const wallNs = () => WALL_AT_START_NS + (process.hrtime.bigint() - MONO_AT_START_NS);
  const monoNs = () => process.hrtime.bigint();
  const now = (id: number): bigint | undefined => clock?.read(id) ?? (id === 0 ? wallNs() : id === 1 ? monoNs() : undefined);

  const fns: Record<string, WasiFn> = {
    // CPPH writevImpl: fd 1 and 2 only.
    fd_write: (fd: number, iovs: number, iovsLen: number, nwritten: number) => {
      if (fd !== 1 && fd !== 2) return EBADF;
      if (!memory) return EFAULT;
      try {
        const dv = view();
        const bytes = new Uint8Array(memory.buffer);
        let total = 0;
        let text = '';
        for (let i = 0; i < iovsLen >>> 0; i++) {
          const ptr = dv.getUint32((iovs >>> 0) + i * 8, true);
          const len = dv.getUint32((iovs >>> 0) + i * 8 + 4, true);
          if (ptr + len > bytes.length) return EFAULT;
          text += dec.decode(bytes.subarray(ptr, ptr + len));
          total += len;
        }
        dv.setUint32(nwritten >>> 0, total, true);
        if (total) onOutput(fd, text); // CPPH logs nothing for an empty write
        return ESUCCESS;
      } catch {
        return EFAULT;
      }
    },
    fd_read: () => ENOSYS,
    fd_pread: () => ENOSYS,
    fd_close: () => ESUCCESS, // CPPH answers 0 (and traces the call)
    fd_seek: () => ESUCCESS, // likewise
    fd_prestat_get: () => EBADF, // no preopened directory: Go's init stops looking at fd 3
    fd_prestat_dir_name: () => ENOSYS,
    fd_filestat_get: () => EBADF,
    path_open: () => ENOENT,
    path_filestat_get: () => ENOTSUP,
    // CPPH: fds 1 and 2 only, a zero filetype and flags, rights FD_WRITE (64).
    fd_fdstat_get: (fd: number, out: number) => {
      if (fd !== 1 && fd !== 2) return EBADF;
      write((dv) => {
        dv.setBigUint64(out >>> 0, 0n, true);
        dv.setBigUint64((out >>> 0) + 8, 64n, true);
        dv.setBigUint64((out >>> 0) + 16, 0n, true);
      });
      return ESUCCESS; // CPPH ignores whether setMemory worked
    },
    fd_fdstat_set_flags: () => ENOSYS,
    fd_fdstat_set_rights: (fd: number) => (fd === 1 || fd === 2 ? ESUCCESS : EBADF),
    fd_advise: () => ESUCCESS,
    fd_allocate: (fd: number) => (fd === 1 || fd === 2 ? ESUCCESS : EBADF),
    fd_datasync: (fd: number) => (fd === 1 || fd === 2 ? ESUCCESS : EBADF),
    fd_filestat_set_size: (fd: number) => (fd === 1 || fd === 2 ? ESUCCESS : EBADF),
    fd_filestat_set_times: (fd: number) => (fd === 1 || fd === 2 ? ESUCCESS : EBADF),
    fd_readdir: () => ENOTDIR,
    fd_pwrite: (fd: number, iovs: number, iovsLen: number, _offset: bigint, nwritten: number) => (fd === 1 || fd === 2 ? fns.fd_write(fd, iovs, iovsLen, nwritten) : EBADF),
    fd_renumber: (fd: number) => (fd === 1 || fd === 2 ? ENOTSUP : EBADF),
    fd_sync: (fd: number) => (fd === 1 || fd === 2 ? ESUCCESS : EBADF),
    fd_tell: (fd: number, out: number) => (fd === 1 || fd === 2 ? write((dv) => dv.setBigUint64(out >>> 0, 0n, true)) : EBADF),
    path_create_directory: () => ENOTSUP,
    path_filestat_set_times: () => ENOTSUP,
    path_link: () => ENOTSUP,
    path_readlink: () => ENOTSUP,
    path_remove_directory: () => ENOTSUP,
    path_rename: () => ENOTSUP,
    path_symlink: () => ENOTSUP,
    path_unlink_file: () => ENOTSUP,
    sock_accept: () => ENOTSUP,
    sock_recv: () => ENOTSUP,
    sock_send: () => ENOTSUP,
    sock_shutdown: () => ENOTSUP,
    // No arguments, and no environment (Envoy passes only the variables a VM config lists).
    args_sizes_get: (argc: number, size: number) =>
      write((dv) => {
        dv.setUint32(argc >>> 0, 0, true);
        dv.setUint32(size >>> 0, 0, true);
      }),
    args_get: () => ESUCCESS,
    environ_sizes_get: (count: number, size: number) =>
      write((dv) => {
        dv.setUint32(count >>> 0, 0, true);
        dv.setUint32(size >>> 0, 0, true);
      }),
    environ_get: () => ESUCCESS,
    // Realtime and monotonic only (the virtual clock when the session has one).
    clock_time_get: (id: number, _precision: bigint, out: number) => {
      const t = now(id);
      if (t === undefined) return ENOTSUP;
      return write((dv) => dv.setBigUint64(out >>> 0, t, true));
    },
    clock_res_get: (id: number, out: number) => {
      if (id !== 0 && id !== 1) return ENOTSUP;
      return write((dv) => dv.setBigUint64(out >>> 0, 1n, true));
    },
    random_get: (buf: number, size: number) => {
      const len = size >>> 0; // i32 arguments arrive signed; CPPH compares them unsigned
      if (len > RANDOM_GET_MAX_BYTES) return EINVAL;
      if (len === 0) return ESUCCESS;
      if (!memory || (buf >>> 0) + len > memory.buffer.byteLength) return EFAULT;
      randomFillSync(new Uint8Array(memory.buffer, buf >>> 0, len));
      return ESUCCESS;
    },
    sched_yield: () => ESUCCESS,
    proc_exit: (code: number): never => {
      throw new ProcExit(code);
    },
    poll_oneoff: (_in: number, _out: number, _nsubs: number, nevents: number) => write((dv) => dv.setUint32(nevents >>> 0, 0, true)),
  };

  if (clock) {
    // A sleep on the virtual clock (only clock subscriptions) returns at once and moves the clock.
    fns.poll_oneoff = (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number => {
      if (!memory) return EFAULT;
      if (nsubs === 0) return EINVAL;
      const dv = view();
      const subs: { userdata: bigint; due: bigint }[] = [];
      for (let i = 0; i < nsubs; i++) {
        const p = (inPtr >>> 0) + i * 48;
        if (dv.getUint8(p + 8) !== 0) return ENOTSUP; // fd subscriptions: no fds to wait on here
        const id = dv.getUint32(p + 16, true);
        const timeout = dv.getBigUint64(p + 24, true);
        const abs = (dv.getUint16(p + 40, true) & 1) === 1;
        const t = clock.read(id);
        if (t === undefined) return EINVAL;
        subs.push({ userdata: dv.getBigUint64(p, true), due: abs ? (timeout > t ? timeout - t : 0n) : timeout });
      }
      const wait = subs.reduce((m, s) => (s.due < m ? s.due : m), subs[0].due);
      clock.advanceNs(Number(wait));
      let n = 0;
      for (const s of subs) {
        if (s.due > wait) continue;
        const e = (outPtr >>> 0) + n * 32;
        for (let b = 0; b < 32; b++) dv.setUint8(e + b, 0);
        dv.setBigUint64(e, s.userdata, true);
        n++;
      }
      dv.setUint32(neventsPtr >>> 0, n, true);
      return ESUCCESS;
    };
  }

  // While _initialize runs, only the calls CPPH allows get through; the others trap the VM.
  const imports: Record<string, WasiFn> = {};
  for (const [name, fn] of Object.entries(fns)) {
    imports[name] = !RESTRICTED_DURING_INITIALIZE.has(name)
      ? fn
      : (...args: unknown[]) => {
          if (restricted()) throw restrictedCallback(`wasi.${name}`);
          return fn(...args);
        };
  }

  return {
    imports,
    importsFor(module) {
      const out: Record<string, Record<string, WasiFn>> = {};
      for (const imp of WebAssembly.Module.imports(module)) {
        if ((imp.module !== 'wasi_snapshot_preview1' && imp.module !== 'wasi_unstable') || imp.kind !== 'function') continue;
        // CPPH v8.cc link: "Failed to load Wasm module due to a missing import".
        if (!Object.hasOwn(imports, imp.name)) throw new Error(`Failed to load Wasm module due to a missing import: ${imp.module}.${imp.name} (the gateway's WASI has no such function)`);
        (out[imp.module] ??= {})[imp.name] = imports[imp.name];
      }
      return out;
    },
    initialize(instance) {
      const exports = instance.exports as Record<string, unknown>;
      // CPPH WasmBase::startVm: a reactor's _initialize (then main, when exported), else a command's _start.
      if (typeof exports._initialize === 'function') {
        (exports._initialize as () => void)();
        if (typeof exports.main === 'function') (exports.main as (a: number, b: number) => number)(0, 0);
      } else if (typeof exports._start === 'function') {
        (exports._start as () => void)();
      }
    },
    bindMemory(m) {
      memory = m;
    },
  };
}

/** CPPH v8.cc: a host function called outside the allowed list while _initialize runs traps. */
export function restrictedCallback(name: string): WebAssembly.RuntimeError {
  // Go's runtime calls these itself: exiting (a panic in init()) or yielding during init.
  if (name === 'wasi.proc_exit' || name === 'wasi.sched_yield') {
    return new WebAssembly.RuntimeError(`restricted_callback: ${name} while the VM initializes: the Go runtime stopped during init (a panic in init() or a package variable's initializer?)`);
  }
  return new WebAssembly.RuntimeError(`restricted_callback: ${name} is not allowed while the VM initializes (_initialize, Go's init functions and package variables); call it from a callback, e.g. the config parser`);
}
