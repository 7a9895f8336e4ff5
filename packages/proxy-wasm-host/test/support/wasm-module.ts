// A tiny WebAssembly assembler for tests that need a module but not the Go toolchain: function
// types, imports, one memory (defined or imported), exported functions with hand-written bodies.
// `proxyModule` adds what the host needs to load a proxy-wasm plugin (memory, `_initialize`, the
// ABI marker, vm_start and configure answering true), so a test scripts only the callbacks it needs.

export const I32 = 0x7f;
export const I64 = 0x7e;

/** Opcodes the tests' bodies use. */
export const op = {
  unreachable: 0x00,
  if: 0x04,
  end: 0x0b,
  call: 0x10,
  drop: 0x1a,
  localGet: 0x20,
  i32Const: 0x41,
} as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** `i32.const n` */
export const i32 = (n: number) => [op.i32Const, ...sleb(n)];

const name = (s: string) => {
  const b = new TextEncoder().encode(s);
  return [...uleb(b.length), ...b];
};

export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

const limits = (min: number, max?: number) => (max === undefined ? [0x00, ...uleb(min)] : [0x01, ...uleb(min), ...uleb(max)]);

export interface FuncDef {
  export?: string;
  params?: number[];
  results?: number[];
  /** Instructions, without the final `end`. */
  body?: number[];
}

export interface ImportDef {
  module: string;
  name: string;
  params?: number[];
  results?: number[];
}

export interface ModuleDef {
  imports?: ImportDef[];
  /** A defined memory, or one imported as `env.memory`. */
  memory?: { min: number; max?: number; imported?: boolean };
  /** Export the (defined) memory as `memory`. Default true when there is one. */
  exportMemory?: boolean;
  funcs?: FuncDef[];
  /** A custom section after the others (its name and payload). */
  custom?: { name: string; payload: number[] };
}

/** Assembles a module; functions are numbered after the imports, in order. */
export function wasmModule(def: ModuleDef): Uint8Array {
  const imports = def.imports ?? [];
  const funcs = def.funcs ?? [];
  const types: string[] = [];
  const typeOf = (params: number[] = [], results: number[] = []) => {
    const key = `${params.join(',')}:${results.join(',')}`;
    let i = types.indexOf(key);
    if (i < 0) i = types.push(key) - 1;
    return i;
  };
  const importTypes = imports.map((f) => typeOf(f.params, f.results));
  const funcTypes = funcs.map((f) => typeOf(f.params, f.results));
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

  if (types.length) {
    const body = [...uleb(types.length)];
    for (const t of types) {
      const [p, r] = t.split(':').map((s) => (s ? s.split(',').map(Number) : []));
      body.push(0x60, ...uleb(p.length), ...p, ...uleb(r.length), ...r);
    }
    out.push(...section(1, body));
  }
  const memImported = def.memory?.imported;
  if (imports.length || memImported) {
    const entries: number[][] = imports.map((f, i) => [...name(f.module), ...name(f.name), 0x00, ...uleb(importTypes[i])]);
    if (memImported) entries.push([...name('env'), ...name('memory'), 0x02, ...limits(def.memory!.min, def.memory!.max)]);
    out.push(...section(2, [...uleb(entries.length), ...entries.flat()]));
  }
  if (funcs.length) out.push(...section(3, [...uleb(funcs.length), ...funcTypes.flatMap((t) => uleb(t))]));
  if (def.memory && !memImported) out.push(...section(5, [1, ...limits(def.memory.min, def.memory.max)]));
  const exports: number[][] = [];
  funcs.forEach((f, i) => f.export && exports.push([...name(f.export), 0x00, ...uleb(imports.length + i)]));
  if (def.memory && !memImported && def.exportMemory !== false) exports.push([...name('memory'), 0x02, 0]);
  if (exports.length) out.push(...section(7, [...uleb(exports.length), ...exports.flat()]));
  if (funcs.length) {
    const bodies = funcs.map((f) => {
      const code = [0x00, ...(f.body ?? []), op.end];
      return [...uleb(code.length), ...code];
    });
    out.push(...section(10, [...uleb(funcs.length), ...bodies.flat()]));
  }
  if (def.custom) out.push(...section(0, [...name(def.custom.name), ...def.custom.payload]));
  return new Uint8Array(out);
}

/**
 * A proxy-wasm plugin the host loads: exported memory (1 page), `_initialize`, the ABI marker
 * (Higress' 0_2_100 by default), proxy_on_vm_start and proxy_on_configure returning `configured`
 * (default true), plus `funcs`. Callbacks it does not export count as returning 0 (Continue).
 */
export function proxyModule(opts: { funcs?: FuncDef[]; imports?: ImportDef[]; vmStart?: number[]; configured?: boolean; abi?: string } = {}): Uint8Array {
  return wasmModule({
    imports: opts.imports,
    memory: { min: 1 },
    funcs: [
      { export: '_initialize' },
      { export: opts.abi ?? 'proxy_abi_version_0_2_100' },
      { export: 'proxy_on_vm_start', params: [I32, I32], results: [I32], body: [...(opts.vmStart ?? []), ...i32(1)] },
      { export: 'proxy_on_configure', params: [I32, I32], results: [I32], body: i32(opts.configured === false ? 0 : 1) },
      ...(opts.funcs ?? []),
    ],
  });
}
