// The API shapes the web app relies on, from @playground/shared (the contract
// the server validates against). Only the request bodies the client builds
// are spelled out here, as the input side of the shared schemas.
export type {
  Analysis,
  Body,
  BodyChunk,
  BuildResult,
  Callout,
  ConfigKey,
  Diagnostic,
  ExampleSummary,
  Exchange,
  ExchangeStreamEvent,
  GatewayProfile,
  GatewaySettings,
  HeaderList,
  Health,
  HostNote,
  HttpRequestMessage,
  HttpResponseMessage,
  HttpService,
  LlmService,
  LogEntry,
  MessageDiff,
  RedisCall,
  RedisKeysView,
  RedisService,
  ResponseStreamEvent,
  RunStreamEvent,
  SavedRequest,
  Scenario,
  SequenceResult,
  SequenceStep,
  Service,
  SessionEvent,
  SessionInfo,
  TimelineEntry,
} from '@playground/shared';
import type {
  ClockAdvance,
  Exchange,
  GatewaySettings,
  HttpRequestMessage,
  PluginEffect as EffectDiff,
  RunResult,
  RuntimeName,
  Scenario,
  Service,
} from '@playground/shared';

export type Runtime = RuntimeName;
export type RunResponse = RunResult;
/** Why a run stopped after a good build (RunResult.error); a string from older servers. */
export type RunError = NonNullable<RunResult['error']>;

export type Clock = 'real' | 'virtual';

export interface SessionRequest {
  buildId: string;
  config: string;
  runtime: Runtime;
  clock?: Clock;
  services?: Service[];
  gateway?: GatewaySettings;
}

export interface RunRequest {
  files: Record<string, string>;
  config: string;
  runtime: Runtime;
  request: HttpRequestMessage;
  /** The session this run replaces; the server ends it. */
  sessionId?: string;
  /** Sent only when 'virtual' (older servers refuse unknown fields). */
  clock?: Clock;
  services?: Service[];
  /** The gateway the session reproduces; sent only when it is not the default Higress profile. */
  gateway?: GatewaySettings;
}

/** POST /api/sessions/{id}/plugin-effect: the same request through the plugin and around it. */
export interface PluginEffect {
  withPlugin: Exchange;
  withoutPlugin: Exchange;
  effect: EffectDiff;
}

export interface SequenceRequest {
  requests: HttpRequestMessage[];
  repeat?: number;
  advanceMs?: number;
}

/** POST /api/sessions/{id}/advance */
export type AdvanceResult = ClockAdvance;

/** POST /api/import */
export interface ImportResult {
  files: Record<string, string>;
  config?: string;
  skipped: string[];
}

export interface ShareResponse {
  id: string;
  url: string;
}

export type ExampleDetail = Scenario;

export interface FormatResponse {
  source?: string;
  error?: string;
  line?: number;
  column?: number;
}
