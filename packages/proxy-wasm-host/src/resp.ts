// RESP, the Redis protocol, as far as the gateway needs it: where one reply ends in a byte stream
// (Envoy's raw decoder, ENVOY extensions/filters/network/common/redis/codec_impl.cc, knows the
// RESP2 types only: a RESP3 reply such as `%` after HELLO 3 is a protocol error that closes the
// connection), and readable forms of a command and a reply for the timeline.

/** The upstream sent bytes the decoder cannot read (ENVOY codec_impl.cc throws ProtocolError). */
export class ProtocolError extends Error {}

const CR = 13;
const LF = 10;

/** Index just past the CRLF ending the line at `start`, or -1 while incomplete. */
function lineEnd(buf: Uint8Array, start: number): number {
  for (let i = start; i < buf.length - 1; i++) if (buf[i] === CR && buf[i + 1] === LF) return i + 2;
  return -1;
}

function intAt(buf: Uint8Array, start: number, end: number): number {
  const text = new TextDecoder().decode(buf.subarray(start, end));
  if (!/^-?\d+$/.test(text)) throw new ProtocolError(`expected an integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * Where the RESP value at `offset` ends: the index after it, or -1 when more bytes are needed.
 * Throws ProtocolError for a type RESP2 does not have.
 */
export function valueEnd(buf: Uint8Array, offset = 0): number {
  if (offset >= buf.length) return -1;
  const type = buf[offset];
  const end = lineEnd(buf, offset + 1);
  if (end < 0) return -1;
  switch (type) {
    case 0x2b /* + */:
    case 0x2d /* - */:
      return end;
    case 0x3a /* : */:
      intAt(buf, offset + 1, end - 2);
      return end;
    case 0x24 /* $ */: {
      const n = intAt(buf, offset + 1, end - 2);
      if (n < 0) return end;
      if (buf.length < end + n + 2) return -1;
      if (buf[end + n] !== CR || buf[end + n + 1] !== LF) throw new ProtocolError('a bulk string does not end with CRLF');
      return end + n + 2;
    }
    case 0x2a /* * */: {
      const n = intAt(buf, offset + 1, end - 2);
      let at = end;
      for (let i = 0; i < n; i++) {
        at = valueEnd(buf, at);
        if (at < 0) return -1;
      }
      return at;
    }
    default:
      throw new ProtocolError(`unknown RESP type byte ${JSON.stringify(String.fromCharCode(type))} (the gateway reads RESP2 only)`);
  }
}

/**
 * A command as a RESP array of bulk strings, the only form Redis reads besides inline commands:
 * its arguments, or what is wrong with it and at which byte.
 */
export function parseCommand(query: Uint8Array): { args: string[] } | { error: string; at: number } {
  const dec = new TextDecoder();
  if (query[0] !== 0x2a) return { error: 'a command must be a RESP array (`*<n>` followed by bulk strings)', at: 0 };
  let end: number;
  try {
    end = valueEnd(query, 0);
  } catch (e) {
    return { error: (e as Error).message, at: 0 };
  }
  if (end < 0) return { error: 'the command is incomplete: Redis waits for the rest', at: query.length };
  const head = lineEnd(query, 1);
  const n = Number(dec.decode(query.subarray(1, head - 2)));
  const args: string[] = [];
  let at = head;
  for (let i = 0; i < n; i++) {
    if (query[at] !== 0x24) return { error: `argument ${i + 1} is not a bulk string`, at };
    const e = lineEnd(query, at + 1);
    const len = Number(dec.decode(query.subarray(at + 1, e - 2)));
    args.push(dec.decode(query.subarray(e, e + Math.max(0, len))));
    at = e + Math.max(0, len) + 2;
  }
  if (n < 1) return { error: 'the command is an empty array', at: 0 };
  if (end !== query.length) return { error: 'more than one command in one call: the gateway pairs each call with one reply', at: end };
  return { args };
}

const SHOW = 200;
const clip = (s: string) => (s.length > SHOW ? `${s.slice(0, SHOW)}… (${s.length} chars)` : s);

/** A reply the way redis-cli prints it, shortened: `(integer) 3`, `"value"`, `(nil)`, `(error) ERR …`. */
export function describeReply(buf: Uint8Array, offset = 0, depth = 0): string {
  const dec = new TextDecoder();
  const end = lineEnd(buf, offset + 1);
  if (end < 0) return '(incomplete)';
  const line = dec.decode(buf.subarray(offset + 1, end - 2));
  switch (buf[offset]) {
    case 0x2b:
      return clip(line);
    case 0x2d:
      return `(error) ${clip(line)}`;
    case 0x3a:
      return `(integer) ${line}`;
    case 0x24: {
      const n = Number(line);
      return n < 0 ? '(nil)' : JSON.stringify(clip(dec.decode(buf.subarray(end, end + n))));
    }
    case 0x2a: {
      const n = Number(line);
      if (n < 0) return '(nil)';
      if (n === 0) return '(empty array)';
      if (depth > 1) return `(array of ${n})`;
      const items: string[] = [];
      let at = end;
      for (let i = 0; i < n && i < 10; i++) {
        items.push(`${i + 1}) ${describeReply(buf, at, depth + 1)}`);
        at = valueEnd(buf, at);
      }
      if (n > 10) items.push(`… ${n - 10} more`);
      return items.join(' ');
    }
    default:
      return '(unreadable)';
  }
}

/** A command for the timeline: `INCR counter`, arguments with spaces quoted, long ones shortened. */
export function describeCommand(args: string[]): string {
  return args.map((a) => (a === '' || /[\s"]/.test(a) ? JSON.stringify(clip(a)) : clip(a))).join(' ');
}

/** A reply as a JS value: strings, numbers, null, arrays, and an Error for `-` replies. */
export type RespValue = string | number | null | Error | RespValue[];

/** Decodes the RESP2 value at `offset` (it must be complete: see valueEnd). */
export function decodeReply(buf: Uint8Array, offset = 0): RespValue {
  const dec = new TextDecoder();
  const end = lineEnd(buf, offset + 1);
  const line = dec.decode(buf.subarray(offset + 1, end - 2));
  switch (buf[offset]) {
    case 0x2b:
      return line;
    case 0x2d:
      return new Error(line);
    case 0x3a:
      return Number(line);
    case 0x24: {
      const n = Number(line);
      return n < 0 ? null : dec.decode(buf.subarray(end, end + n));
    }
    case 0x2a: {
      const n = Number(line);
      if (n < 0) return null;
      const items: RespValue[] = [];
      let at = end;
      for (let i = 0; i < n; i++) {
        items.push(decodeReply(buf, at));
        at = valueEnd(buf, at);
      }
      return items;
    }
    default:
      throw new ProtocolError(`unknown RESP type byte ${JSON.stringify(String.fromCharCode(buf[offset]))}`);
  }
}

/** A command as RESP: an array of bulk strings. */
export function encodeCommand(args: string[]): Uint8Array {
  const enc = new TextEncoder();
  const parts = args.map((a) => enc.encode(a));
  const head = (s: string) => enc.encode(s);
  const chunks: Uint8Array[] = [head(`*${parts.length}\r\n`)];
  for (const p of parts) chunks.push(head(`$${p.length}\r\n`), p, head('\r\n'));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
