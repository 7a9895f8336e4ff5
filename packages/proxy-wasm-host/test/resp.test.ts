// RESP framing and display (src/resp.ts), as Envoy's RESP2 decoder reads replies
// (ENVOY extensions/filters/network/common/redis/codec_impl.cc RawDecoderImpl::parseSlice).
import { describe, expect, it } from 'vitest';
import { decodeReply, describeCommand, describeReply, encodeCommand, parseCommand, ProtocolError, valueEnd } from '../src/resp.js';
import { enc } from './support/harness.js';

describe('valueEnd', () => {
  it('finds where each RESP2 value ends, and waits for the rest of an incomplete one', () => {
    expect(valueEnd(enc('+OK\r\n'))).toBe(5);
    expect(valueEnd(enc('$3\r\nfoo\r\n+next'))).toBe(9);
    expect(valueEnd(enc('$-1\r\n'))).toBe(5);
    expect(valueEnd(enc('*2\r\n:1\r\n$1\r\na\r\n'))).toBe(15);
    expect(valueEnd(enc('*2\r\n:1\r\n'))).toBe(-1);
    expect(valueEnd(enc('$3\r\nfo'))).toBe(-1);
  });

  it('refuses RESP3 types as the gateway does', () => {
    expect(() => valueEnd(enc('%1\r\n+a\r\n+b\r\n'))).toThrow(ProtocolError);
  });
});

describe('commands and replies', () => {
  it('parses a well-formed command and says what is wrong with others', () => {
    expect(parseCommand(encodeCommand(['SET', 'k', 'a b']))).toEqual({ args: ['SET', 'k', 'a b'] });
    expect(parseCommand(enc('PING\r\n'))).toMatchObject({ at: 0 });
    expect(parseCommand(enc('*2\r\n$3\r\nGET\r\n'))).toMatchObject({ error: expect.stringMatching(/incomplete/) });
    expect(parseCommand(enc('*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n'))).toMatchObject({ error: expect.stringMatching(/more than one command/), at: 14 });
  });

  it('prints replies the way redis-cli does', () => {
    expect(describeReply(enc(':3\r\n'))).toBe('(integer) 3');
    expect(describeReply(enc('$-1\r\n'))).toBe('(nil)');
    expect(describeReply(enc('-ERR wrong\r\n'))).toBe('(error) ERR wrong');
    expect(describeReply(enc('*2\r\n$1\r\na\r\n:2\r\n'))).toBe('1) "a" 2) (integer) 2');
    expect(describeCommand(['SET', 'k', 'a b'])).toBe('SET k "a b"');
    expect(decodeReply(enc('*3\r\n:1\r\n$-1\r\n-E\r\n'))).toEqual([1, null, new Error('E')]);
  });
});
