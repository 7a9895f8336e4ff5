import type { ClockAdvance, Exchange, HttpRequestMessage, LogEntry, MockService, RuntimeName } from '@playground/shared';

export interface SessionStart {
  sessionId: string;
  /** The build the module comes from: runtimes may cache per build. */
  buildId: string;
  /** The compiled plugin. */
  wasm: Uint8Array;
  /** `virtual`: time moves only when the user advances it (ticks fire then). */
  clock: 'real' | 'virtual';
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
  /** The same request through the same gateway with the plugin left out, when the runtime can. */
  handleWithoutPlugin?(request: HttpRequestMessage, opts?: { authority?: string }): Promise<Exchange>;
  /** Moves a virtual clock forward, firing the ticks that fall due. */
  advanceTime?(ms: number): Promise<ClockAdvance>;
  /** The plugin VM's memory in bytes, when the runtime can tell. */
  memoryBytes?(): Promise<number>;
  close(): Promise<void>;
}

/** Where plugins run: the embedded host (default) or, later, real gateway containers. */
export interface Runtime {
  readonly name: RuntimeName;
  start(opts: SessionStart): Promise<RuntimeSession>;
}
