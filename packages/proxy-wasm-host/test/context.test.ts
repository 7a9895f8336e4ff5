// src/context.ts: a stream's context on its own (no VM, no filter manager): what continue_stream
// releases at once, the after-VM-call actions in order (ENVOY context.cc continueStream /
// sendLocalResponse / closeStream are deferred until the VM call returns), the local-reply hold,
// notes once per code and the per-stream log bound.
import { describe, expect, it } from 'vitest';
import { MAX_LOGS_PER_STREAM, makeLogEntry } from '../src/logs.js';
import { enc } from './support/harness.js';
import { streamContext } from './support/stream-context.js';

describe('continue_stream (E127 Context::continueStream)', () => {
  it('releases the request header map, body and trailers at once, whichever direction is continued', () => {
    for (const dir of ['request', 'response'] as const) {
      const s = streamContext({ requestHeaders: [[':path', '/']] });
      s.requestBody = enc('b');
      s.requestTrailers = [['t', '1']];
      s.responseHeaders = [[':status', '200']];
      s.responseBody = enc('r');
      s.requestContinue(dir);
      expect([s.requestHeaders, s.requestBody, s.requestTrailers]).toEqual([null, null, null]);
      expect(s.releasedByContinue).toBe(true);
      // The response side is untouched: Envoy releases only the request maps here.
      expect(s.responseHeaders).toEqual([[':status', '200']]);
      expect(s.responseBody).toEqual(enc('r'));
    }
  });

  it('the continue itself waits: it is an action the driver takes after the callback', () => {
    const s = streamContext();
    expect(s.hasActions()).toBe(false);
    s.requestContinue('response');
    expect(s.hasActions()).toBe(true);
    expect(s.takeActions()).toEqual([{ kind: 'continue', dir: 'response' }]);
  });
});

describe('after-VM-call actions', () => {
  it('are taken in the order the plugin asked for them, and only once', () => {
    const s = streamContext();
    const reply = { status: 403, details: 'denied', body: enc('no'), headers: [] };
    s.requestContinue('request');
    s.requestLocalReply(reply);
    s.requestClose('response');
    expect(s.takeActions()).toEqual([{ kind: 'continue', dir: 'request' }, { kind: 'localReply', reply }, { kind: 'close', dir: 'response' }]);
    expect(s.takeActions()).toEqual([]);
    expect(s.hasActions()).toBe(false);
  });

  it('a local reply sets the hold that refuses a second one (E127 local_reply_hold_), even after the action was taken', () => {
    const s = streamContext();
    expect(s.localReplyHold).toBe(false);
    s.requestLocalReply({ status: 200, details: '', body: new Uint8Array(0), headers: [] });
    s.takeActions();
    expect(s.localReplyHold).toBe(true);
  });

  it('injected response data is kept in order with its end-of-stream flag', () => {
    const s = streamContext();
    s.injectEncoded(enc('a'), false);
    s.injectEncoded(enc('b'), true);
    expect(s.injected).toEqual([
      { data: enc('a'), endOfStream: false },
      { data: enc('b'), endOfStream: true },
    ]);
  });
});

describe('what the exchange records', () => {
  it('a note is kept once per code: the first message wins', () => {
    const s = streamContext();
    s.note({ code: 'buffer_limit', message: 'first' });
    s.note({ code: 'buffer_limit', message: 'second' });
    s.note({ code: 'reset', message: 'other' });
    expect(s.notes.map((n) => n.message)).toEqual(['first', 'other']);
  });

  it('logs are bounded per stream: the first lines, then one host warning, then false for the rest', () => {
    const s = streamContext();
    for (let i = 0; i < MAX_LOGS_PER_STREAM; i++) expect(s.log(makeLogEntry('info', `line ${i}`, 'plugin'))).toBe(true);
    expect(s.log(makeLogEntry('info', 'over', 'plugin'))).toBe(false);
    expect(s.log(makeLogEntry('info', 'over again', 'plugin'))).toBe(false);
    expect(s.logs).toHaveLength(MAX_LOGS_PER_STREAM + 1);
    expect(s.logs.at(-1)).toMatchObject({ level: 'warn', source: 'host', message: expect.stringMatching(/more than 1000 lines/) });
  });

  it('elapsedUs counts microseconds from the stream\'s start', () => {
    const s = streamContext({ info: { startPerf: 1000 } });
    expect(s.elapsedUs(1002.5)).toBe(2500);
  });

  it('starts with the profile\'s buffer limit and no maps', () => {
    const s = streamContext({ bufferLimit: 1234 });
    expect(s.bufferLimit).toBe(1234);
    expect([s.requestHeaders, s.responseHeaders, s.requestBody, s.responseBody]).toEqual([null, null, null, null]);
  });
});
