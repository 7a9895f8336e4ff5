// The WebAssembly JS API types this package uses. @types/node 20 does not declare them (they live
// in lib.dom), and pulling in DOM would add browser globals; this module declares the subset.
export {};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace WebAssembly {
    interface ModuleImportDescriptor {
      module: string;
      name: string;
      kind: 'function' | 'table' | 'memory' | 'global';
    }
    interface ModuleExportDescriptor {
      name: string;
      kind: 'function' | 'table' | 'memory' | 'global';
    }
    class Module {
      constructor(bytes: BufferSource);
      static imports(module: Module): ModuleImportDescriptor[];
      static exports(module: Module): ModuleExportDescriptor[];
    }
    class Memory {
      constructor(desc: { initial: number; maximum?: number });
      readonly buffer: ArrayBuffer;
      grow(delta: number): number;
    }
    class Instance {
      constructor(module: Module, imports?: Imports);
      readonly exports: Exports;
    }
    class RuntimeError extends Error {}
    class CompileError extends Error {}
    class LinkError extends Error {}
    type ImportValue = ((...args: never[]) => unknown) | Memory | number;
    type Imports = Record<string, Record<string, ImportValue>>;
    type Exports = Record<string, unknown>;
    type BufferSource = ArrayBufferView | ArrayBuffer;
    function compile(bytes: BufferSource): Promise<Module>;
    function instantiate(module: Module, imports?: Imports): Promise<Instance>;
    function validate(bytes: BufferSource): boolean;
  }
}
