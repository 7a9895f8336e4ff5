import type { LogEntry, LogLevel } from '@playground/shared';

/**
 * One record of Envoy's default log format, `[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v`:
 * time, thread, level, logger name (component), source location, message.
 */
export interface EnvoyRecord {
  time: string;
  thread: string;
  level: LogLevel;
  component: string;
  location: string;
  message: string;
}

const HEADER = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})\]\[(\d+)\]\[(\w+)\]\[([\w-]+)\] (?:\[([^\]]*)\] )?/;

const LEVELS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  warn: 'warn',
  error: 'error',
  critical: 'critical',
};

/** Envoy prints times in the container's zone, which is UTC in the gateway image. */
const isoTime = (t: string) => `${t.replace(' ', 'T')}Z`;

/** The header of a log record, or null for a continuation line (or anything that is not Envoy's). */
export function parseEnvoyHeader(line: string): EnvoyRecord | null {
  const m = HEADER.exec(line);
  if (!m) return null;
  return {
    time: isoTime(m[1]),
    thread: m[2],
    level: LEVELS[m[3].toLowerCase()] ?? 'info',
    component: m[4],
    location: m[5] ?? '',
    message: line.slice(m[0].length),
  };
}

// Envoy writes a plugin's proxy_log call as `wasm log<prefix>: <message>`, where the prefix is
// ` <filter name>[ <root id>][ <vm id>]` (some host versions leave a stray space before the colon).
const PLUGIN_LINE = /^wasm log[^:\n]*: ?/;
// wasm-go's own prefix in front of every plugin message: `[<plugin>] [<plugin id|nil>] [<request id|nil>] `.
const WASM_GO_PREFIX = /^\[[^\]]*\] \[[^\]]*\] \[([^\]]*)\] /;

/**
 * The playground's log entry for an Envoy record: the plugin's own lines (source `plugin`, with the
 * request id wasm-go prints) and the host's lines about the plugin (source `host`: VM start, traps,
 * failed callbacks). Records of other components are not about the plugin: null.
 */
export function toLogEntry(r: EnvoyRecord): LogEntry | null {
  if (r.component !== 'wasm') return null;
  const plugin = PLUGIN_LINE.exec(r.message);
  if (!plugin) return { level: r.level, message: r.message, time: r.time, source: 'host' };
  const message = r.message.slice(plugin[0].length);
  const entry: LogEntry = { level: r.level, message, time: r.time, source: 'plugin' };
  const id = WASM_GO_PREFIX.exec(message)?.[1];
  if (id && id !== 'nil') entry.requestId = id;
  return entry;
}

/** A message that ended with a newline leaves empty continuation lines behind: not part of it. */
const complete = (r: EnvoyRecord): EnvoyRecord => ({ ...r, message: r.message.replace(/\n+$/, '') });

/**
 * Turns the gateway's log stream, in chunks of any size, into records. A record's message may span
 * lines (a plugin may log text with newlines; a Go panic prints a stack), so a record is complete
 * only when the next one starts, or when the caller flushes after a quiet moment.
 */
export class EnvoyLogParser {
  private partial = '';
  private pending: EnvoyRecord | null = null;

  /** Feeds a chunk; returns the records it completed. */
  push(chunk: string): EnvoyRecord[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const done: EnvoyRecord[] = [];
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      const head = parseEnvoyHeader(line);
      if (head) {
        if (this.pending) done.push(complete(this.pending));
        this.pending = head;
      } else if (this.pending) {
        this.pending.message += `\n${line}`;
      }
      // Text before the first record (an image's own banner) belongs to no record: dropped.
    }
    return done;
  }

  /** Completes whatever is held: the last record, and a last line that had no newline yet. */
  flush(): EnvoyRecord[] {
    const done = this.partial ? this.push('\n') : [];
    if (this.pending) done.push(complete(this.pending));
    this.pending = null;
    return done;
  }
}
