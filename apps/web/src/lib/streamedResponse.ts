// The response of the request in flight, put together from the events of a
// `?stream=1` answer as they arrive (headers, each body chunk, the end or a
// reset), so the Response pane can show it before the exchange is complete.
// Pure.
import type { HeaderList, ResponseStreamEvent } from '../api/types';

export interface StreamedResponse {
  /** Null until the headers arrived. */
  status: number | null;
  headers: HeaderList;
  /** The text of the chunks so far (binary chunks are counted, not shown). */
  body: string;
  chunks: number;
  bytes: number;
  ended: boolean;
  /** Why the stream was reset, when it was. */
  reset?: string;
}

const RESPONSE_EVENT_TYPES: readonly string[] = ['headers', 'data', 'end', 'reset'] satisfies ResponseStreamEvent['type'][];

export const isResponseEvent = (e: { type: string }): e is ResponseStreamEvent => RESPONSE_EVENT_TYPES.includes(e.type);

const nothingYet: StreamedResponse = { status: null, headers: [], body: '', chunks: 0, bytes: 0, ended: false };

export function applyResponseEvent(r: StreamedResponse | null, e: ResponseStreamEvent): StreamedResponse {
  const cur = r ?? nothingYet;
  switch (e.type) {
    case 'headers':
      return { ...cur, status: e.status, headers: e.headers };
    case 'data':
      return { ...cur, body: cur.body + (typeof e.body === 'string' ? e.body : ''), chunks: cur.chunks + 1, bytes: cur.bytes + e.bytes };
    case 'end':
      return { ...cur, ended: true };
    case 'reset':
      return { ...cur, ended: true, reset: e.reason };
  }
}
