// The API shapes the web app relies on. Build, health, HTTP messages and
// errors come from @playground/shared; the rest (exchange, session, run, share,
// examples) are defined here until packages/shared exports them, and this file
// is the only place to change when it does.
import type {
  Body,
  BuildResult,
  Diagnostic,
  ExampleSummary,
  HeaderList,
  Health,
  HttpRequestMessage,
  HttpResponseMessage,
  SavedRequest,
  Scenario,
} from '@playground/shared';

export type {
  Body,
  BuildResult,
  Diagnostic,
  ExampleSummary,
  HeaderList,
  Health,
  HttpRequestMessage,
  HttpResponseMessage,
  SavedRequest,
  Scenario,
};

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

export interface LogEntry {
  level: LogLevel | string;
  message: string;
  time: string;
}

export interface TimelineEntry {
  phase: string;
  action: string;
  durationUs: number;
  /** Index into `callouts` for entries that started or resumed on a callout (optional). */
  callout?: number;
}

export interface Callout {
  cluster: string;
  request: Partial<HttpRequestMessage> & { method?: string; path?: string };
  response: HttpResponseMessage | null;
  durationUs?: number;
}

/** When the exchange itself failed; absent on a normal exchange. */
export interface ExchangeError {
  kind: 'plugin-crash' | 'plugin-timeout' | 'upstream-unavailable' | string;
  message: string;
}

export interface Exchange {
  request: HttpRequestMessage;
  upstreamRequest: HttpRequestMessage | null;
  upstreamResponse: HttpResponseMessage | null;
  response: HttpResponseMessage;
  localReply: boolean;
  logs: LogEntry[];
  timeline: TimelineEntry[];
  callouts: Callout[];
  error?: ExchangeError;
}

export interface SessionInfo {
  sessionId: string;
  gatewayUrl: string;
  configJson: string;
  logs: LogEntry[];
  runtime?: string;
}

export type Runtime = 'embedded' | 'docker';

export interface SessionRequest {
  buildId: string;
  config: string;
  runtime: Runtime;
}

/** Why a run stopped before its exchange (when the server says so). */
export interface RunError {
  stage?: 'build' | 'config' | 'session' | 'exchange' | string;
  error: string;
  line?: number;
  column?: number;
  logs?: LogEntry[];
}

export interface RunRequest {
  files: Record<string, string>;
  config: string;
  runtime: Runtime;
  request: HttpRequestMessage;
}

export interface RunResponse {
  build: BuildResult;
  session: SessionInfo | null;
  exchange: Exchange | null;
  /** Why session/exchange are null when the build succeeded. */
  error?: RunError | string;
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

/** Server-sent events of a session's stream. */
export type SessionEvent =
  | { type: 'log'; data: LogEntry }
  | { type: 'exchange'; data: Exchange }
  | { type: 'session-ended'; data: { reason?: string } };
