// src/logs.ts: log entries (wasm-go's `[plugin] [id] [request-id] ` prefix parsed, times as ISO in the
// VM's clock) and the bounds on them: a stream keeps its first lines, lines outside streams are
// forwarded at a bounded rate, background lists keep their most recent items.
import { describe, expect, it } from 'vitest';
import { appendStreamLog, BackgroundLogRate, makeLogEntry, MAX_BACKGROUND_LOGS_PER_SECOND, MAX_LOGS_PER_STREAM, pushBounded } from '../src/logs.js';
import type { LogEntry } from '../src/index.js';

describe('makeLogEntry', () => {
  it('parses wasm-go\'s prefix of a plugin line and keeps the message as written', () => {
    const e = makeLogEntry('info', '[my-plugin] [rule-1] [req-9] hello [world]', 'plugin');
    expect(e).toMatchObject({ plugin: 'my-plugin', pluginId: 'rule-1', requestId: 'req-9', message: '[my-plugin] [rule-1] [req-9] hello [world]' });
  });

  it('"nil" or empty ids are left out', () => {
    const e = makeLogEntry('info', '[my-plugin] [nil] [] started', 'plugin');
    expect(e.plugin).toBe('my-plugin');
    expect(e).not.toHaveProperty('pluginId');
    expect(e).not.toHaveProperty('requestId');
  });

  it('host lines and lines without the prefix are not parsed', () => {
    expect(makeLogEntry('warn', '[a] [b] [c] host text', 'host')).not.toHaveProperty('plugin');
    expect(makeLogEntry('info', 'plain line', 'plugin')).not.toHaveProperty('plugin');
  });

  it('the time is the given epoch ms (the virtual clock) as ISO, whole milliseconds; the worker when given', () => {
    const a = makeLogEntry('info', 'x', 'plugin', 1_700_000_000_123.9, 1);
    expect(a.time).toBe('2023-11-14T22:13:20.123Z');
    expect(a.worker).toBe(1);
    expect(makeLogEntry('info', 'x', 'plugin', 0).time).toBe('1970-01-01T00:00:00.000Z');
    // Formatting is cached per millisecond: going back to an earlier time is still right.
    expect(makeLogEntry('info', 'x', 'plugin', 1_700_000_000_123).time).toBe('2023-11-14T22:13:20.123Z');
    expect(makeLogEntry('info', 'x', 'host')).not.toHaveProperty('worker');
  });

  it('without a time, now', () => {
    const before = Date.now();
    const t = Date.parse(makeLogEntry('info', 'x', 'host').time);
    expect(t).toBeGreaterThanOrEqual(before - 1);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});

describe('appendStreamLog', () => {
  it(`keeps the first ${MAX_LOGS_PER_STREAM} lines, adds one warning, and drops the rest`, () => {
    const logs: LogEntry[] = [];
    for (let i = 0; i < MAX_LOGS_PER_STREAM; i++) expect(appendStreamLog(logs, makeLogEntry('info', `l${i}`, 'plugin', 0, 1))).toBe(true);
    expect(appendStreamLog(logs, makeLogEntry('info', 'dropped', 'plugin', 0, 1))).toBe(false);
    expect(appendStreamLog(logs, makeLogEntry('info', 'dropped too', 'plugin', 0, 1))).toBe(false);
    expect(logs).toHaveLength(MAX_LOGS_PER_STREAM + 1);
    expect(logs[MAX_LOGS_PER_STREAM - 1].message).toBe(`l${MAX_LOGS_PER_STREAM - 1}`);
    expect(logs.at(-1)).toMatchObject({ level: 'warn', source: 'host', worker: 1 });
    expect(logs.some((l) => l.message.startsWith('dropped'))).toBe(false);
  });
});

describe('BackgroundLogRate', () => {
  it(`allows ${MAX_BACKGROUND_LOGS_PER_SECOND} lines per second, then refuses until the next second`, () => {
    const rate = new BackgroundLogRate();
    const t = 5_000_000;
    let allowed = 0;
    for (let i = 0; i < MAX_BACKGROUND_LOGS_PER_SECOND + 50; i++) if (rate.allow(t + (i % 900))) allowed++;
    expect(allowed).toBe(MAX_BACKGROUND_LOGS_PER_SECOND);
    expect(rate.allow(t + 999)).toBe(false);
    expect(rate.allow(t + 1000)).toBe(true);
  });
});

describe('pushBounded', () => {
  it('keeps the most recent items', () => {
    const list: number[] = [];
    for (let i = 0; i < 10; i++) pushBounded(list, i, 3);
    expect(list).toEqual([7, 8, 9]);
  });
});
