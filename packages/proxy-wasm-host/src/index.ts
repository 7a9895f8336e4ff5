// @playground/proxy-wasm-host: an embedded proxy-wasm host for Node.js that runs Higress Go plugins
import './webassembly.js';
// (GOOS=wasip1 -buildmode=c-shared) in V8 and behaves like Envoy. See README.md.
export { PluginVm, DEFAULT_LIMITS } from './vm.js';
export { IsolatedPluginVm, type IsolatedOptions } from './isolated.js';
export { WorkerPool, type WorkerPoolOptions, type WorkerPoolStats } from './pool.js';
export { compilePlugin, moduleMemoryCap, type CompileOptions } from './compile.js';
export { SharedStore } from './shared.js';
export { handleWithoutPlugin } from './stream.js';
export { capMemory } from './wasm-binary.js';
export { DEFAULT_PROPERTIES } from './properties.js';
export { WasmResult, MapType, BufferType, HeaderAction, DataAction, LogLevelNum, StreamType, MetricType } from './abi/enums.js';
export type * from './types.js';
