// @playground/proxy-wasm-host: an embedded proxy-wasm host for Node.js that runs Higress Go plugins
// (GOOS=wasip1 -buildmode=c-shared) in V8 and behaves like the Higress gateway's Envoy. See README.md.
import './webassembly.js';
export { GatewayPlugin, handleWithoutPlugin, MIN_RECOVER_INTERVAL_MS } from './plugin.js';
export { PluginVm, DEFAULT_LIMITS } from './wasm.js';
export { IsolatedPlugin, type IsolatedOptions } from './isolated.js';
export { WorkerPool, type WorkerPoolOptions, type WorkerPoolStats } from './pool.js';
export { compilePlugin, moduleMemoryCap, type CompileOptions } from './compile.js';
export { bufferedUpstream, responseEvents, EventQueue } from './io.js';
export { PROFILES, resolveProfile, MAX_WORKERS } from './profile.js';
export { knownCluster, clusterHost } from './callouts.js';
export { SharedData } from './shared-data.js';
export { decodeReply, describeCommand, describeReply, encodeCommand, parseCommand, valueEnd, ProtocolError, type RespValue } from './resp.js';
export { capMemory } from './wasm-binary.js';
export { DEFAULT_PROPERTIES } from './properties.js';
export { WasmResult, MapType, BufferType, HeaderAction, DataAction, LogLevelNum, StreamType, MetricType } from './abi/enums.js';
export type * from './types.js';
