import { z } from 'zod';
import { FileMap, BuildResult } from './build.js';
import { HeaderList, HttpRequestMessage } from './http.js';
import { Exchange, LogEntry } from './exchange.js';

export const RuntimeName = z.enum(['embedded', 'docker']);
export type RuntimeName = z.infer<typeof RuntimeName>;

/**
 * A service the plugin can call out to. Every cluster reaches the httpbin upstream unless a
 * service whose `name` appears in the cluster name (for example `token-service` in
 * `outbound|80||token-service.static`) answers it: with a fixed response, or a path on httpbin.
 */
export const MockService = z
  .object({
    name: z.string().min(1).max(200),
    status: z.number().int().min(100).max(599).default(200),
    headers: HeaderList.default([]),
    body: z.string().max(256 * 1024).default(''),
    /** When set, the call goes to this path on httpbin instead of the fixed response. */
    httpbinPath: z.string().startsWith('/').optional(),
  })
  .strict();
export type MockService = z.infer<typeof MockService>;

export const SessionOptions = {
  config: z.string().max(256 * 1024).default(''),
  runtime: RuntimeName.default('embedded'),
  services: z.array(MockService).max(32).default([]),
};

export const SessionCreateRequest = z.object({ buildId: z.string().min(1), ...SessionOptions }).strict();
export type SessionCreateRequest = z.infer<typeof SessionCreateRequest>;

export const SessionInfo = z.object({
  sessionId: z.string(),
  gatewayUrl: z.string(),
  configJson: z.string(),
  runtime: RuntimeName,
  logs: z.array(LogEntry),
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
  error: z.object({ error: z.string(), line: z.number().optional(), column: z.number().optional(), logs: z.array(LogEntry).optional() }).optional(),
});
export type RunResult = z.infer<typeof RunResult>;

/** Server-Sent Events on GET /api/sessions/{id}/events. */
export type SessionEvent =
  | { type: 'log'; data: LogEntry }
  | { type: 'exchange'; data: Exchange }
  | { type: 'session-ended'; data: { sessionId: string; reason: string } };
