// WASI for a Go c-shared reactor: node:wasi with no preopens, no environment and no arguments.
// Three functions are replaced: fd_write for fds 1/2 (captured, never written to the real
// stdout/stderr, so a Go panic's message and stack end up in the VM error), proc_exit (throws
// ProcExit, which unwinds out of the export; the VM is then marked failed), and poll_oneoff, which
// never blocks: proxy-wasm-cpp-host's (exports.cc wasi_unstable_poll_oneoff) reports no events at
// once, so Go's scheduler spins on the clock until a time.Sleep is over. Inside the gateway a sleep
// in a callback burns its worker's CPU; here it also stays interruptible, so a callback over its
// time limit really ends (node:wasi's poll_oneoff sleeps in native code, where no watchdog reaches).
import { WASI } from 'node:wasi';
import type { VirtualClock } from './clock.js';
import { ProcExit } from './errors.js';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_FAULT = 21;
const ERRNO_INVAL = 28;
const ERRNO_NOTSUP = 58;

export interface WasiBinding {
  imports: Record<string, WebAssembly.ImportValue>;
  /** Runs `_initialize` (Go's runtime init and the plugin's init()). */
  initialize(instance: WebAssembly.Instance): void;
  bindMemory(memory: WebAssembly.Memory): void;
}

/** With `clock`, clock_time_get (realtime, monotonic) reads the virtual clock and a sleep advances it. */
export function createWasi(onOutput: (fd: 1 | 2, text: string) => void, clock?: VirtualClock): WasiBinding {
  const wasi = new WASI({ version: 'preview1', args: [], env: {}, preopens: {}, returnOnExit: true });
  let memory: WebAssembly.Memory | undefined;
  const base = wasi.wasiImport as Record<string, WebAssembly.ImportValue>;
  const dec = new TextDecoder();

  const fd_write = (fd: number, iovs: number, iovsLen: number, nwritten: number): number => {
    if (fd !== 1 && fd !== 2) return ERRNO_BADF;
    if (!memory) return ERRNO_FAULT;
    try {
      const dv = new DataView(memory.buffer);
      const bytes = new Uint8Array(memory.buffer);
      let total = 0;
      let text = '';
      for (let i = 0; i < iovsLen; i++) {
        const ptr = dv.getUint32((iovs >>> 0) + i * 8, true);
        const len = dv.getUint32((iovs >>> 0) + i * 8 + 4, true);
        text += dec.decode(bytes.subarray(ptr, ptr + len));
        total += len;
      }
      dv.setUint32(nwritten >>> 0, total, true);
      onOutput(fd, text);
      return ERRNO_SUCCESS;
    } catch {
      return ERRNO_FAULT;
    }
  };

  const proc_exit = (code: number): never => {
    throw new ProcExit(code);
  };

  const poll_oneoff = (_in: number, _out: number, _nsubs: number, neventsPtr: number): number => {
    if (!memory) return ERRNO_FAULT;
    try {
      new DataView(memory.buffer).setUint32(neventsPtr >>> 0, 0, true);
      return ERRNO_SUCCESS;
    } catch {
      return ERRNO_FAULT;
    }
  };

  const virtualImports: Record<string, WebAssembly.ImportValue> = {};
  if (clock) {
    virtualImports.clock_time_get = (id: number, _precision: bigint, out: number): number => {
      const t = clock.read(id);
      if (t === undefined) return (base.clock_time_get as (a: number, b: bigint, c: number) => number)(id, _precision, out);
      if (!memory) return ERRNO_FAULT;
      try {
        new DataView(memory.buffer).setBigUint64(out >>> 0, t, true);
        return ERRNO_SUCCESS;
      } catch {
        return ERRNO_FAULT;
      }
    };
    // A sleep on the virtual clock (only clock subscriptions) returns at once and moves the clock.
    virtualImports.poll_oneoff = (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number => {
      if (!memory) return ERRNO_FAULT;
      if (nsubs === 0) return ERRNO_INVAL;
      const dv = new DataView(memory.buffer);
      const subs: { userdata: bigint; due: bigint }[] = [];
      for (let i = 0; i < nsubs; i++) {
        const p = (inPtr >>> 0) + i * 48;
        if (dv.getUint8(p + 8) !== 0) return ERRNO_NOTSUP; // fd subscriptions: no fds to wait on here
        const id = dv.getUint32(p + 16, true);
        const timeout = dv.getBigUint64(p + 24, true);
        const abs = (dv.getUint16(p + 40, true) & 1) === 1;
        const now = clock.read(id);
        if (now === undefined) return ERRNO_INVAL;
        subs.push({ userdata: dv.getBigUint64(p, true), due: abs ? (timeout > now ? timeout - now : 0n) : timeout });
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
      return ERRNO_SUCCESS;
    };
  }

  return {
    imports: { ...base, fd_write, proc_exit, poll_oneoff, ...virtualImports },
    initialize(instance) {
      wasi.initialize(instance);
    },
    bindMemory(m) {
      memory = m;
    },
  };
}
