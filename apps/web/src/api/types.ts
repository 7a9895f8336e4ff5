// The API shapes the web app relies on, from @playground/shared (the contract
// the server validates against). Only the request bodies the client builds
// are spelled out here, as the input side of the shared schemas.
import type {
  Analysis,
  ConfigKey,
  MessageDiff,
  MockService,
  Body,
  BuildResult,
  Callout,
  Diagnostic,
  Exchange,
  ExampleSummary,
  HeaderList,
  Health,
  HttpRequestMessage,
  HttpResponseMessage,
  LogEntry,
  RunResult,
  RuntimeName,
  SavedRequest,
  Scenario,
  SessionEvent,
  SessionInfo,
  TimelineEntry,
} from '@playground/shared';

export type {
  Analysis,
  ConfigKey,
  MessageDiff,
  MockService,
  Body,
  BuildResult,
  Callout,
  Diagnostic,
  Exchange,
  ExampleSummary,
  HeaderList,
  Health,
  HttpRequestMessage,
  HttpResponseMessage,
  LogEntry,
  SavedRequest,
  Scenario,
  SessionEvent,
  SessionInfo,
  TimelineEntry,
};

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
  services?: MockService[];
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
  services?: MockService[];
}

/** POST /api/sessions/{id}/plugin-effect: the same request through the plugin and around it. */
export interface PluginEffect {
  withPlugin: Exchange;
  withoutPlugin: Exchange;
  effect: { request: MessageDiff | null; response: MessageDiff | null; localReply: boolean };
}

export interface SequenceRequest {
  requests: HttpRequestMessage[];
  repeat?: number;
  advanceMs?: number;
}

export interface SequenceStep {
  index: number;
  request: { method: string; path: string };
  status: number;
  localReply: boolean;
  /** Sum of the plugin's callback time for this step. */
  durationUs: number;
  /** VM memory after the step. */
  memoryBytes: number;
  ticks: number;
  error?: string;
}

export interface SequenceResult {
  steps: SequenceStep[];
  /** The last 20 exchanges. */
  exchanges: Exchange[];
}

export interface AdvanceResult {
  /** The session's virtual time after the advance (newer servers). */
  elapsedMs?: number;
  ticks: number;
  logs: LogEntry[];
  timeline: TimelineEntry[];
}

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
