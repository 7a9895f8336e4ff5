// The API shapes the web app relies on, from @playground/shared (the contract
// the server validates against). Only the request bodies the client builds
// are spelled out here, as the input side of the shared schemas.
import type {
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

export interface SessionRequest {
  buildId: string;
  config: string;
  runtime: Runtime;
}

export interface RunRequest {
  files: Record<string, string>;
  config: string;
  runtime: Runtime;
  request: HttpRequestMessage;
  /** The session this run replaces; the server ends it. */
  sessionId?: string;
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
