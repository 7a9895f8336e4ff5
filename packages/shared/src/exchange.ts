import { z } from 'zod';
import { GatewayProfileName, HostNote } from './gateway.js';
import { HeaderList, HttpRequestMessage, HttpResponseMessage, Body } from './http.js';

export const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'critical']);
export type LogLevel = z.infer<typeof LogLevel>;

export const LogEntry = z.object({
  level: LogLevel,
  message: z.string(),
  time: z.string(),
  /** `plugin` for the plugin's own lines, `host` for what the playground says about it. */
  source: z.enum(['plugin', 'host']).optional(),
  requestId: z.string().optional(),
  /** The gateway worker whose VM wrote the line. */
  worker: z.number().int().optional(),
  /** Instead of `worker`: a VM of Envoy's main thread (`main`: configure and ticks, no requests) or the configuration canary. */
  thread: z.enum(['main', 'canary']).optional(),
});
export type LogEntry = z.infer<typeof LogEntry>;

export const TimelineEntry = z.object({
  phase: z.string(),
  action: z.string().optional(),
  durationUs: z.number(),
  /** Microseconds since the exchange started, when known. */
  startUs: z.number().optional(),
  detail: z.string().optional(),
  /** Body callbacks: the body size the callback was given and whether the stream ended with it. */
  bytes: z.number().int().optional(),
  endOfStream: z.boolean().optional(),
  worker: z.number().int().optional(),
  thread: z.enum(['main', 'canary']).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Callout = z.object({
  cluster: z.string(),
  request: z.object({ method: z.string(), path: z.string(), authority: z.string().optional(), headers: HeaderList, body: Body }),
  response: HttpResponseMessage.nullable(),
  error: z.string().optional(),
  durationMs: z.number().optional(),
});
export type Callout = z.infer<typeof Callout>;

/** A metric the plugin defined (proxy_define_metric), summed over the gateway's workers as Envoy's stats are. */
export const Metric = z.object({
  name: z.string(),
  type: z.enum(['counter', 'gauge', 'histogram']),
  /** Counter and gauge value; for a histogram, the last recorded value. */
  value: z.number(),
  count: z.number().optional(),
  sum: z.number().optional(),
});
export type Metric = z.infer<typeof Metric>;

/** A Redis call the plugin made (proxy_redis_call) and its reply, as redis-cli would print them. */
export const RedisCall = z.object({
  cluster: z.string(),
  command: z.string(),
  reply: z.string().nullable(),
  status: z.enum(['pending', 'ok', 'network_error']),
  error: z.string().optional(),
  durationMs: z.number(),
});
export type RedisCall = z.infer<typeof RedisCall>;

/** One request through the gateway: the four messages and what the plugin did on the way. */
export const Exchange = z.object({
  request: HttpRequestMessage,
  upstreamRequest: HttpRequestMessage.nullable(),
  upstreamResponse: HttpResponseMessage.nullable(),
  response: HttpResponseMessage,
  localReply: z.boolean(),
  logs: z.array(LogEntry),
  timeline: z.array(TimelineEntry),
  callouts: z.array(Callout),
  redisCalls: z.array(RedisCall).optional(),
  /** Set when the stream failed: a plugin crash, a timeout, the upstream down. */
  error: z.string().optional(),
  /** What kind of failure `error` is, so a UI can say what to do without reading the text. */
  errorKind: z.enum(['crash', 'timeout', 'memory', 'stalled', 'upstream', 'reset']).optional(),
  requestId: z.string().optional(),
  durationMs: z.number().optional(),
  /** Which part of the config applied to this request (global or a `_rules_` entry) and why. */
  configMatch: z.object({ applied: z.string(), reason: z.string() }).optional(),
  /** The gateway profile the session reproduces, and the worker whose VM served this request. */
  profile: GatewayProfileName.optional(),
  worker: z.number().int().optional(),
  /** Envoy's response.code_details: via_upstream, wasm_fail_stream, request_payload_too_large, ... */
  responseCodeDetails: z.string().optional(),
  /** What the plugin did that the gateway punishes, and the playground's own bounds. */
  notes: z.array(HostNote).optional(),
  /** The client saw the stream reset after the response began (a cut-off body). */
  reset: z.string().optional(),
});
export type Exchange = z.infer<typeof Exchange>;

/** The response as the client receives it, event by event, with milliseconds since the request was sent. */
export const ResponseStreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('headers'), status: z.number().int(), headers: HeaderList, atMs: z.number() }),
  z.object({ type: z.literal('data'), body: Body, bytes: z.number().int(), atMs: z.number() }),
  z.object({ type: z.literal('end'), trailers: HeaderList.optional(), atMs: z.number() }),
  z.object({ type: z.literal('reset'), reason: z.string(), atMs: z.number() }),
]);
export type ResponseStreamEvent = z.infer<typeof ResponseStreamEvent>;

export const StreamError = z.object({ type: z.literal('error'), status: z.number().int(), error: z.string() });

/**
 * POST /api/sessions/{id}/exchanges?stream=1 answers NDJSON, one event per line: the response as it
 * streams (ResponseStreamEvent), then the whole exchange, or an error with the status the plain
 * route would have answered.
 */
export const ExchangeStreamEvent = z.union([ResponseStreamEvent, z.object({ type: z.literal('exchange'), exchange: Exchange }), StreamError]);
export type ExchangeStreamEvent = z.infer<typeof ExchangeStreamEvent>;
