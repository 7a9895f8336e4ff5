// Log entries and the bounds on them. wasm-go prefixes every line with
// `[<plugin>] [<plugin_id|nil>] [<x_request_id|nil>] `; the message is kept as written and the prefix
// is exposed parsed alongside it. A plugin can log without end, so a stream keeps its first lines and
// lines outside streams (ticks, queues) are forwarded at a bounded rate.
import type { LogEntry, LogLevel, VmThread } from './types.js';

const PREFIX = /^\[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\] /;

/** Lines a stream keeps; the rest are dropped with one warning. */
export const MAX_LOGS_PER_STREAM = 1000;
/** Lines outside streams forwarded to onLog per second. */
export const MAX_BACKGROUND_LOGS_PER_SECOND = 200;

/** ISO times formatted once per millisecond: a plugin logs several lines in one. */
let lastMs = -1;
let lastIso = '';
function isoTime(ms: number): string {
  if (ms !== lastMs) [lastMs, lastIso] = [ms, new Date(ms).toISOString()];
  return lastIso;
}

/** `timeMs`: the entry's time (epoch ms; the VM's virtual clock), default now. */
export function makeLogEntry(level: LogLevel, message: string, source: 'plugin' | 'host', timeMs?: number, worker?: number | VmThread): LogEntry {
  const e: LogEntry = { level, message, time: isoTime(Math.floor(timeMs ?? Date.now())), source };
  if (typeof worker === 'number') e.worker = worker;
  else if (worker !== undefined) e.thread = worker;
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

/** Appends to a stream's log; false when the line was dropped (the stream is over its bound). */
export function appendStreamLog(logs: LogEntry[], e: LogEntry): boolean {
  if (logs.length < MAX_LOGS_PER_STREAM) {
    logs.push(e);
    return true;
  }
  if (logs.length === MAX_LOGS_PER_STREAM) {
    logs.push(makeLogEntry('warn', `the plugin logged more than ${MAX_LOGS_PER_STREAM} lines for this request; the rest are dropped`, 'host', undefined, e.worker));
  }
  return false;
}

/** Rate limit for lines outside streams: true while this second's budget lasts. */
export class BackgroundLogRate {
  private second = 0;
  private count = 0;

  allow(nowMs = Date.now()): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) [this.second, this.count] = [second, 0];
    return ++this.count <= MAX_BACKGROUND_LOGS_PER_SECOND;
  }
}

/** A list that keeps its most recent `max` items. */
export function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
