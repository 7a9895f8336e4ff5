// Error types that cross the host/guest boundary.

/** Thrown by our WASI `proc_exit`: the Go runtime exits after a panic or fatal error. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`plugin exited with code ${code}`);
  }
}

/** The VM can no longer run (trap, panic, out of memory, timeout). Every later call fails fast. */
export class VmFailedError extends Error {}

/** Errors raised by the guest itself: host imports must let these propagate, not swallow them. */
export function isGuestFault(e: unknown): boolean {
  return e instanceof ProcExit || e instanceof WebAssembly.RuntimeError || e instanceof RangeError || e instanceof VmFailedError;
}

/** A readable description of a guest failure, with what the guest wrote to stderr (Go panics). */
export function describeGuestFault(e: unknown, stderr: string): string {
  let what: string;
  if (e instanceof ProcExit) what = `plugin exited (code ${e.code})`;
  else if (e instanceof WebAssembly.RuntimeError) what = `wasm trap: ${e.message}`;
  else if (e instanceof RangeError) what = `wasm stack overflow or range error: ${e.message}`;
  else if (e instanceof Error) what = e.message;
  else what = String(e);
  const out = stderr.trim();
  if (/out of memory/i.test(out) || /out of memory/i.test(what)) what = `out of memory: ${what}`;
  return out ? `${what}\n${out}` : what;
}
