import type { Exchange, HttpRequestMessage, LogEntry, MockService, RuntimeName } from '@playground/shared';

export interface SessionStart {
  sessionId: string;
  /** The compiled plugin. */
  wasm: Uint8Array;
  /** The plugin configuration JSON ('' for none). */
  configJson: string;
  services: MockService[];
  /** Live log lines, including those outside any request (start-up, ticks). */
  onLog(entry: LogEntry): void;
  /** Called once if the session dies on its own (a crashed or runaway plugin). */
  onFailure(reason: string): void;
}

/** A plugin loaded and configured in a runtime, ready for requests. */
export interface RuntimeSession {
  /** False when the plugin rejected its configuration (proxy_on_configure returned false). */
  readonly configured: boolean;
  readonly startLogs: LogEntry[];
  /** Why start-up failed, when it did (a trap, a bad module). */
  readonly startError?: string;
  handle(request: HttpRequestMessage, opts?: { authority?: string }): Promise<Exchange>;
  close(): Promise<void>;
}

/** Where plugins run: the embedded host (default) or, later, real gateway containers. */
export interface Runtime {
  readonly name: RuntimeName;
  start(opts: SessionStart): Promise<RuntimeSession>;
}
