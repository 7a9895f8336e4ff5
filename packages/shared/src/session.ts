import { z } from 'zod';
import { FileMap, BuildResult } from './build.js';
import { HttpRequestMessage } from './http.js';
import { ServiceList } from './services.js';
import { Exchange, LogEntry, ResponseStreamEvent, StreamError, TimelineEntry } from './exchange.js';
import { GatewayProfile, GatewaySettings } from './gateway.js';

export const RuntimeName = z.enum(['embedded', 'docker']);
export type RuntimeName = z.infer<typeof RuntimeName>;

export const SessionOptions = {
  config: z.string().max(256 * 1024).default(''),
  runtime: RuntimeName.default('embedded'),
  services: ServiceList.default([]),
  /** `virtual`: the plugin's clock moves only with POST /api/sessions/{id}/advance (ticks fire then). */
  clock: z.enum(['real', 'virtual']).default('real'),
  /** The gateway the session reproduces (profile and settings). */
  gateway: GatewaySettings.default({ profile: 'higress' }),
};

export const SessionCreateRequest = z.object({ buildId: z.string().min(1), ...SessionOptions }).strict();
export type SessionCreateRequest = z.infer<typeof SessionCreateRequest>;

export const SessionInfo = z.object({
  sessionId: z.string(),
  /**
   * Where `curl` reaches the session's gateway: its own loopback listener, or (with listeners off)
   * the main origin's `/gw/{id}` (absolute with PLAYGROUND_PUBLIC_URL, else relative to the API).
   */
  gatewayUrl: z.string(),
  /** The gateway on the main origin: `/gw/{sessionId}`, for clients that cannot reach loopback. */
  gatewayPath: z.string().optional(),
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
/** What a client sends to POST /api/run: the defaults may be left out. */
export type RunRequestInput = z.input<typeof RunRequest>;

export const RunResult = z.object({
  build: BuildResult,
  session: SessionInfo.nullable(),
  /** The client's previous session (RunRequest.sessionId) this run ended, if it did. */
  replaced: z.string().optional(),
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

/**
 * POST /api/run?stream=1 answers NDJSON: the build when it is done, the session when it started,
 * the first response as it streams, then the result with the status the plain route would have
 * answered (or an error).
 */
export const RunStreamEvent = z.union([
  z.object({ type: z.literal('build'), build: BuildResult }),
  z.object({ type: z.literal('session'), session: SessionInfo }),
  ResponseStreamEvent,
  z.object({ type: z.literal('result'), status: z.number().int(), result: RunResult }),
  StreamError,
]);
export type RunStreamEvent = z.infer<typeof RunStreamEvent>;

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
export type AdvanceRequest = z.infer<typeof AdvanceRequest>;

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
/** What a client sends to POST /api/sessions/{id}/sequence: the defaults may be left out. */
export type SequenceRequestInput = z.input<typeof SequenceRequest>;

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
