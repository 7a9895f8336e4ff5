import { createHash } from 'node:crypto';

/**
 * The stand-in's answers, all derived from the request alone so that tests can predict them.
 *
 * Tokens: a word (a run of letters, digits, combining marks and underscores) is one token; so is
 * every other non-space character: a punctuation mark, a symbol, a Han character or a kana.
 * Whitespace is no token. `Hello, world!` is 4 tokens; `don't` is 3; `你好` is 2.
 */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{M}\\p{N}_])+|\\S`, 'gu');

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

/** Where each token of `text` ends. */
function tokenEnds(text: string): number[] {
  return Array.from(text.matchAll(TOKEN), (m) => m.index! + m[0].length);
}

/**
 * A message's text: string content as is, the array-of-parts form as its text parts joined by one
 * space (other parts, such as images, are skipped); anything else (null, absent) is empty.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p): p is { type: 'text'; text: string } => p?.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join(' ');
}

const messageText = (m: unknown) => contentText((m as { content?: unknown } | null)?.content);

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The reply before any cut: `Stand-in reply from <model>: you said "<text of the last user message>"`. */
export function replyText(model: string, messages: unknown[]): string {
  const lastUser = messages.findLast((m) => (m as { role?: unknown } | null)?.role === 'user');
  return `Stand-in reply from ${model}: you said "${messageText(lastUser)}"`;
}

export interface ChatReply {
  content: string;
  finish_reason: 'stop' | 'length';
  usage: Usage;
}

/**
 * The assistant's answer to a chat request. prompt_tokens counts the text of every message's
 * content (roles and message framing count nothing); with `maxTokens` (a positive integer) below
 * the reply's token count, the reply is cut after that many tokens and finishes with `length`.
 */
export function chatReply(model: string, messages: unknown[], maxTokens?: number): ChatReply {
  const full = replyText(model, messages);
  const ends = tokenEnds(full);
  const cut = maxTokens !== undefined && maxTokens < ends.length;
  const content = cut ? full.slice(0, ends[maxTokens - 1]) : full;
  const prompt = messages.reduce<number>((n, m) => n + countTokens(messageText(m)), 0);
  const completion = cut ? maxTokens : ends.length;
  return {
    content,
    finish_reason: cut ? 'length' : 'stop',
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

/**
 * The pieces a streamed reply is sent in: one per token, each with the whitespace before it (and
 * the last with any whitespace after), so that they join back into `text` exactly.
 */
export function streamPieces(text: string): string[] {
  const ends = tokenEnds(text);
  if (ends.length === 0) return text ? [text] : [];
  ends[ends.length - 1] = text.length;
  return ends.map((end, i) => text.slice(i === 0 ? 0 : ends[i - 1], end));
}

export const EMBEDDING_DIMENSIONS = 16;
export const MAX_EMBEDDING_DIMENSIONS = 3072;

/**
 * An input's embedding: the bytes SHA-256("0:" + input) ‖ SHA-256("1:" + input) ‖ … read as
 * big-endian uint32s, each u mapped to u / 2^31 - 1 (in [-1, 1)), as many as `dimensions`, then
 * divided by the vector's L2 norm. The same input always gives the same unit vector.
 */
export function embedding(input: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const vector: number[] = [];
  for (let block = 0; vector.length < dimensions; block++) {
    const bytes = createHash('sha256').update(`${block}:${input}`).digest();
    for (let i = 0; i < bytes.length && vector.length < dimensions; i += 4)
      vector.push(bytes.readUInt32BE(i) / 2 ** 31 - 1);
  }
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}

/** A short hex digest, for ids derived from a request. */
export function shortHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 24);
}
