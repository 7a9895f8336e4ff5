import { z } from 'zod';
import { FileMap, BuildResult } from './build.js';
import { HeaderList, HttpRequestMessage } from './http.js';
import { Exchange, LogEntry, TimelineEntry } from './exchange.js';
import { GatewayProfile, GatewaySettings } from './gateway.js';

export const RuntimeName = z.enum(['embedded', 'docker']);
export type RuntimeName = z.infer<typeof RuntimeName>;

/**
 * A service the gateway has, for the plugin's callouts: a cluster is served when its name is the
 * service's `name`, or its host starts with it (`token-service` serves
 * `outbound|80||token-service.static`), with a fixed response or a path on httpbin. The route's own
 * cluster (httpbin) is always there; a callout to any other cluster fails as in Envoy.
 */
export const MockService = z
  .object({
    name: z.string().min(1).max(200),
    status: z.number().int().min(100).max(599).default(200),
    headers: HeaderList.default([]),
    body: z.string().max(256 * 1024).default(''),
    /** `httpbin`: the call goes to httpbin (at `httpbinPath`, else the callout's own path) instead of the fixed response. */
    via: z.enum(['fixed', 'httpbin']).optional(),
    /** When set, the call goes to this path on httpbin instead of the fixed response. */
    httpbinPath: z.string().startsWith('/').optional(),
  })
  .strict();
export type MockService = z.infer<typeof MockService>;

export const SessionOptions = {
  config: z.string().max(256 * 1024).default(''),
  runtime: RuntimeName.default('embedded'),
  services: z.array(MockService).max(32).default([]),
  /** `virtual`: the plugin's clock moves only with POST /api/sessions/{id}/advance (ticks fire then). */
  clock: z.enum(['real', 'virtual']).default('real'),
  /** The gateway the session reproduces (profile and settings). */
  gateway: GatewaySettings.default({ profile: 'higress' }),
};

export const SessionCreateRequest = z.object({ buildId: z.string().min(1), ...SessionOptions }).strict();
export type SessionCreateRequest = z.infer<typeof SessionCreateRequest>;

export const SessionInfo = z.object({
  sessionId: z.string(),
  gatewayUrl: z.string(),
  configJson: z.string(),
  runtime: RuntimeName,
  logs: z.array(LogEntry),
  /** The gateway settings in force, every one resolved. */
  gateway: GatewayProfile.optional(),
  /** The clusters callouts may use: the route's own and the declared services. */
  clusters: z.array(z.string()).optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const RunRequest = z
  .object({ files: FileMap, ...SessionOptions, request: HttpRequestMessage, sessionId: z.string().optional() })
  .strict();
export type RunRequest = z.infer<typeof RunRequest>;

export const RunResult = z.object({
  build: BuildResult,
  session: SessionInfo.nullable(),
  exchange: Exchange.nullable(),
  /** Why `session` or `exchange` is null when the build itself succeeded. */
  error: z
    .object({
      error: z.string(),
      /** `yaml`: config.yaml does not parse; `config`: the plugin rejected it; `start`: the module failed to load. */
      stage: z.enum(['yaml', 'config', 'start', 'limit']).optional(),
      line: z.number().optional(),
      column: z.number().optional(),
      logs: z.array(LogEntry).optional(),
    })
    .optional(),
});
export type RunResult = z.infer<typeof RunResult>;

/** POST /api/sessions/{id}/advance: what moving a virtual clock forward did. */
export const ClockAdvance = z.object({
  advancedMs: z.number(),
  /** Virtual milliseconds since the session started. */
  elapsedMs: z.number(),
  ticks: z.number().int(),
  logs: z.array(LogEntry),
  timeline: z.array(TimelineEntry),
});
export type ClockAdvance = z.infer<typeof ClockAdvance>;

export const AdvanceRequest = z.object({ ms: z.number().int().min(1).max(24 * 3600 * 1000) }).strict();

/** POST /api/sessions/{id}/sequence: many requests through one VM, so plugin state carries over. */
export const SequenceRequest = z
  .object({
    requests: z.array(HttpRequestMessage).min(1).max(50),
    /** How many times to send the list. */
    repeat: z.number().int().min(1).max(200).default(1),
    /** Virtual milliseconds between requests (needs a virtual-clock session). */
    advanceMs: z.number().int().min(0).max(3600 * 1000).default(0),
  })
  .strict();
export type SequenceRequest = z.infer<typeof SequenceRequest>;

export const SequenceStep = z.object({
  index: z.number().int(),
  request: z.object({ method: z.string(), path: z.string() }),
  status: z.number().int(),
  localReply: z.boolean(),
  /** Time spent in plugin callbacks for this request. */
  durationUs: z.number(),
  /** The VM's memory after the request. */
  memoryBytes: z.number(),
  ticks: z.number().int(),
  error: z.string().optional(),
});
export type SequenceStep = z.infer<typeof SequenceStep>;

export const SequenceResult = z.object({ steps: z.array(SequenceStep), exchanges: z.array(Exchange) });
export type SequenceResult = z.infer<typeof SequenceResult>;

/** Server-Sent Events on GET /api/sessions/{id}/events. */
export type SessionEvent =
  | { type: 'log'; data: LogEntry }
  | { type: 'exchange'; data: Exchange }
  | { type: 'session-ended'; data: { sessionId: string; reason: string } };
