import { describe, expect, it } from 'vitest';
import { EnvoyLogParser, parseEnvoyHeader, toLogEntry } from '../src/runtime/docker/log-parser.js';

// Lines as a Higress gateway container prints them with `--component-log-level wasm:debug`, written
// here in Envoy's default format `[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v`. Plugin lines carry
// `wasm log <filter name>: ` and wasm-go's `[plugin] [plugin id] [request id] ` prefix.
const RECORDED = [
  '[2025-03-04 10:11:12.001][1][info][main] [source/server/server.cc:430] initializing epoch 0 (base id=0, hot restart version=11.104)',
  '[2025-03-04 10:11:12.120][1][debug][wasm] [source/extensions/common/wasm/wasm.cc:125] Base Wasm created 1 now active',
  '[2025-03-04 10:11:12.310][1][info][wasm] [source/extensions/common/wasm/context.cc:1195] wasm log playground-plugin: [my-plugin] [nil] [nil] parse config: {"mockEnable":false}',
  '[2025-03-04 10:11:12.402][1][info][main] [source/server/server.cc:964] starting main dispatch loop',
  '[2025-03-04 10:11:13.500][24][debug][wasm] [source/extensions/common/wasm/context.cc:1192] wasm log playground-plugin: [my-plugin] [nil] [7f9c2c1e-req-1] added header hello: world',
  '[2025-03-04 10:11:13.501][24][debug][http] [source/common/http/conn_manager_impl.cc:1120] [C1][S123] request end stream',
  '[2025-03-04 10:11:13.502][24][warning][wasm] [source/extensions/common/wasm/context.cc:1198] wasm log playground-plugin: [my-plugin] [nil] [7f9c2c1e-req-1] slow upstream',
  '[2025-03-04 10:11:13.503][24][error][wasm] [source/extensions/common/wasm/context.cc:1201] wasm log playground-plugin: [my-plugin] [nil] [7f9c2c1e-req-1] first line',
  'second line of the same message',
  '  third, indented',
  '[2025-03-04 10:11:13.504][24][critical][wasm] [source/extensions/common/wasm/wasm_vm.cc:38] Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable',
  '[2025-03-04 10:11:13.505][24][trace][wasm] [source/extensions/common/wasm/context.cc:1189] wasm log playground-plugin : [my-plugin] [nil] [nil] tick',
].join('\n');

describe('Envoy log parsing', () => {
  it('reads a header: time, thread, level, component, location, message', () => {
    expect(parseEnvoyHeader(RECORDED.split('\n')[1])).toEqual({
      time: '2025-03-04T10:11:12.120Z',
      thread: '1',
      level: 'debug',
      component: 'wasm',
      location: 'source/extensions/common/wasm/wasm.cc:125',
      message: 'Base Wasm created 1 now active',
    });
    expect(parseEnvoyHeader('second line of the same message')).toBeNull();
  });

  it('turns a recorded stream into plugin and host entries, ignoring other components', () => {
    const parser = new EnvoyLogParser();
    const records = [...parser.push(RECORDED), ...parser.flush()];
    expect(records.map((r) => r.component)).toEqual(['main', 'wasm', 'wasm', 'main', 'wasm', 'http', 'wasm', 'wasm', 'wasm', 'wasm']);
    const entries = records.map(toLogEntry).filter((e) => e !== null);
    expect(entries).toEqual([
      { level: 'debug', message: 'Base Wasm created 1 now active', time: '2025-03-04T10:11:12.120Z', source: 'host' },
      { level: 'info', message: '[my-plugin] [nil] [nil] parse config: {"mockEnable":false}', time: '2025-03-04T10:11:12.310Z', source: 'plugin' },
      {
        level: 'debug',
        message: '[my-plugin] [nil] [7f9c2c1e-req-1] added header hello: world',
        time: '2025-03-04T10:11:13.500Z',
        source: 'plugin',
        requestId: '7f9c2c1e-req-1',
      },
      { level: 'warn', message: '[my-plugin] [nil] [7f9c2c1e-req-1] slow upstream', time: '2025-03-04T10:11:13.502Z', source: 'plugin', requestId: '7f9c2c1e-req-1' },
      {
        level: 'error',
        message: '[my-plugin] [nil] [7f9c2c1e-req-1] first line\nsecond line of the same message\n  third, indented',
        time: '2025-03-04T10:11:13.503Z',
        source: 'plugin',
        requestId: '7f9c2c1e-req-1',
      },
      {
        level: 'critical',
        message: 'Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable',
        time: '2025-03-04T10:11:13.504Z',
        source: 'host',
      },
      // Older hosts print a space before the colon when the VM id is empty.
      { level: 'trace', message: '[my-plugin] [nil] [nil] tick', time: '2025-03-04T10:11:13.505Z', source: 'plugin' },
    ]);
  });

  it('gives the same records however the stream is chunked', () => {
    const whole = new EnvoyLogParser();
    const expected = [...whole.push(RECORDED), ...whole.flush()];
    for (const size of [1, 7, 64, 500]) {
      const parser = new EnvoyLogParser();
      const got = [];
      for (let i = 0; i < RECORDED.length; i += size) got.push(...parser.push(RECORDED.slice(i, i + size)));
      got.push(...parser.flush());
      expect(got, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('holds a record until the next one starts, so continuation lines are not lost', () => {
    const parser = new EnvoyLogParser();
    expect(parser.push('[2025-03-04 10:11:13.503][24][error][wasm] [a.cc:1] wasm log p: panic: boom\n')).toEqual([]);
    expect(parser.push('goroutine 1 [running]:\nmain.onHttpRequestHeaders()\n\n')).toEqual([]);
    const [rec] = parser.push('[2025-03-04 10:11:13.600][24][info][wasm] [a.cc:2] wasm log p: next\n');
    expect(toLogEntry(rec)?.message).toBe('panic: boom\ngoroutine 1 [running]:\nmain.onHttpRequestHeaders()');
    expect(parser.flush().map((r) => r.message)).toEqual(['wasm log p: next']);
  });

  it('drops text before the first record and handles CRLF', () => {
    const parser = new EnvoyLogParser();
    const got = [...parser.push('image banner\r\n[2025-03-04 10:11:12.001][1][info][wasm] [x.cc:1] wasm log p: [a] [nil] [r1] hi\r\n'), ...parser.flush()];
    expect(got.map(toLogEntry)).toEqual([{ level: 'info', message: '[a] [nil] [r1] hi', time: '2025-03-04T10:11:12.001Z', source: 'plugin', requestId: 'r1' }]);
  });
});
