// proxy-wasm ABI 0.2.x enums (proxy-wasm/spec v0.2.1; Higress SDK abi_enums.go, types/types.go).

/** Every host import returns one of these as an i32. */
export const WasmResult = {
  Ok: 0,
  NotFound: 1,
  BadArgument: 2,
  SerializationFailure: 3,
  ParseFailure: 4,
  InvalidMemoryAccess: 6,
  Empty: 7,
  CasMismatch: 8,
  InternalFailure: 10,
  BrokenConnection: 11,
  Unimplemented: 12,
} as const;
export type WasmResult = (typeof WasmResult)[keyof typeof WasmResult];

export const MapType = {
  RequestHeaders: 0,
  RequestTrailers: 1,
  ResponseHeaders: 2,
  ResponseTrailers: 3,
  GrpcInitialMetadata: 4,
  GrpcTrailingMetadata: 5,
  HttpCallResponseHeaders: 6,
  HttpCallResponseTrailers: 7,
} as const;

export const BufferType = {
  RequestBody: 0,
  ResponseBody: 1,
  DownstreamData: 2,
  UpstreamData: 3,
  HttpCallResponseBody: 4,
  GrpcReceiveBuffer: 5,
  VmConfiguration: 6,
  PluginConfiguration: 7,
  CallData: 8,
  RedisCallResponse: 9,
} as const;

/** Return values of the on_*_headers callbacks. 1 is the SDK's ActionPause. */
export const HeaderAction = {
  Continue: 0,
  StopIteration: 1,
  ContinueAndEndStream: 2,
  StopAllIterationAndBuffer: 3,
  StopAllIterationAndWatermark: 4,
} as const;

/** Return values of the on_*_body callbacks. 1 is the SDK's ActionPause. */
export const DataAction = {
  Continue: 0,
  StopIterationAndBuffer: 1,
  StopIterationAndWatermark: 2,
  StopIterationNoBuffer: 3,
} as const;

export const LogLevelNum = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, critical: 5 } as const;
export type LogLevel = keyof typeof LogLevelNum;
export const LOG_LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'critical'];

export const StreamType = { Request: 0, Response: 1, Downstream: 2, Upstream: 3 } as const;

export const MetricType = { Counter: 0, Gauge: 1, Histogram: 2 } as const;

/** Names used in timelines for header callback results. */
export function headerActionName(v: number): string {
  return ['Continue', 'Pause', 'ContinueAndEndStream', 'StopAllIterationAndBuffer', 'StopAllIterationAndWatermark'][v] ?? `Unknown(${v})`;
}

export function dataActionName(v: number): string {
  return ['Continue', 'Pause', 'StopIterationAndWatermark', 'StopIterationNoBuffer'][v] ?? `Unknown(${v})`;
}
