// WASI for a Go c-shared reactor: node:wasi with no preopens, no environment and no arguments.
// Two functions are replaced: fd_write for fds 1/2 (captured, never written to the real stdout/stderr,
// so a Go panic's message and stack end up in the VM error) and proc_exit (throws ProcExit, which
// unwinds out of the export; the VM is then marked failed).
import { WASI } from 'node:wasi';
import { ProcExit } from './errors.js';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_FAULT = 21;

export interface WasiBinding {
  imports: Record<string, WebAssembly.ImportValue>;
  /** Runs `_initialize` (Go's runtime init and the plugin's init()). */
  initialize(instance: WebAssembly.Instance): void;
  bindMemory(memory: WebAssembly.Memory): void;
}

export function createWasi(onOutput: (fd: 1 | 2, text: string) => void): WasiBinding {
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

  return {
    imports: { ...base, fd_write, proc_exit },
    initialize(instance) {
      wasi.initialize(instance);
    },
    bindMemory(m) {
      memory = m;
    },
  };
}
