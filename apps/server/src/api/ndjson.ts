import type { DownstreamSink } from '@playground/proxy-wasm-host';
import { bytesToBody, type ResponseStreamEvent } from '@playground/shared';
import type { Response } from 'express';
import { httpErrorOf } from './errors.js';
import { log } from '../util/log.js';

/**
 * An answer sent as it happens, one JSON event per line (`?stream=1` on /api/run and exchanges):
 * the status is 200 from the start, so failures travel as an `error` event carrying the status the
 * plain route would have answered.
 */
export class NdjsonStream<E extends { type: string }> {
  private readonly t0 = performance.now();

  constructor(private readonly res: Response) {
    res.status(200).setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.flushHeaders();
  }

  send(e: E | { type: 'error'; status: number; error: string }): void {
    this.res.write(`${JSON.stringify(e)}\n`);
  }

  /** Writes the response the gateway's client gets, as it gets it. */
  responseSink(): DownstreamSink {
    const at = () => Math.round(performance.now() - this.t0);
    const send = (e: ResponseStreamEvent) => this.res.write(`${JSON.stringify(e)}\n`);
    return {
      headers: (status, headers) => send({ type: 'headers', status, headers, atMs: at() }),
      data: (data) => send({ type: 'data', body: bytesToBody(data), bytes: data.length, atMs: at() }),
      end: (trailers) => send({ type: 'end', ...(trailers?.length ? { trailers } : {}), atMs: at() }),
      reset: (reason) => send({ type: 'reset', reason, atMs: at() }),
    };
  }

  /** An error event with the status and message the plain route would have answered. */
  fail(err: unknown): void {
    const known = httpErrorOf(err);
    if (!known) log.error('api.stream-error', { message: err instanceof Error ? err.message : String(err) });
    this.send({ type: 'error', status: known?.status ?? 500, error: known?.message ?? 'internal error; the server logged it' });
  }

  end(): void {
    this.res.end();
  }
}
