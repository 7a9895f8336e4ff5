// Log entries. wasm-go prefixes every line with `[<plugin>] [<plugin_id|nil>] [<x_request_id|nil>] `;
// the message is kept as written and the prefix is exposed parsed alongside it.
import type { LogEntry, LogLevel } from './types.js';

const PREFIX = /^\[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\] /;

/** `timeMs`: the entry's time (epoch ms; the VM's virtual clock), default now. */
export function makeLogEntry(level: LogLevel, message: string, source: 'plugin' | 'host', timeMs?: number): LogEntry {
  const e: LogEntry = { level, message, time: (timeMs === undefined ? new Date() : new Date(timeMs)).toISOString(), source };
  if (source === 'plugin') {
    const m = PREFIX.exec(message);
    if (m) {
      e.plugin = m[1];
      if (m[2] !== 'nil' && m[2] !== '') e.pluginId = m[2];
      if (m[3] !== 'nil' && m[3] !== '') e.requestId = m[3];
    }
  }
  return e;
}
