// The HTTP client for the playground API. Every call uses a relative URL, so
// the page only ever talks to its own origin. Failures are thrown as ApiFailure
// with a `kind` the UI turns into a clear message.
import type {
  AdvanceResult,
  Analysis,
  ImportResult,
  PluginEffect,
  SequenceRequest,
  SequenceResult,
  BuildResult,
  Exchange,
  ExampleDetail,
  ExampleSummary,
  FormatResponse,
  Health,
  HttpRequestMessage,
  RunRequest,
  RunResponse,
  Scenario,
  SessionInfo,
  SessionRequest,
  ShareResponse,
} from './types';

export type FailureKind = 'unreachable' | 'http' | 'not-found';

export class ApiFailure extends Error {
  constructor(
    public kind: FailureKind,
    message: string,
    public status = 0,
    /** The parsed JSON error body, when there was one. */
    public body: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Turns a non-JSON-bodied fetch failure into an ApiFailure. */
async function raw(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiFailure('unreachable', 'The playground server cannot be reached.');
  }
  if (!res.ok) {
    const text = await res.text();
    let obj: Record<string, unknown> | null = null;
    try {
      obj = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      obj = null;
    }
    const message = typeof obj?.error === 'string' ? obj.error : `HTTP ${res.status} ${res.statusText}`;
    throw new ApiFailure(res.status === 404 ? 'not-found' : 'http', message, res.status, obj);
  }
  return res;
}

async function call<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiFailure('unreachable', 'The playground server cannot be reached.');
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    // A dev proxy answers 502/504 (with no JSON) when the server is down.
    if ((res.status === 502 || res.status === 503 || res.status === 504) && json === null) {
      throw new ApiFailure('unreachable', 'The playground server cannot be reached.', res.status);
    }
    const obj = json && typeof json === 'object' ? (json as Record<string, unknown>) : null;
    const message = typeof obj?.error === 'string' ? obj.error : `HTTP ${res.status} ${res.statusText}`;
    throw new ApiFailure(res.status === 404 ? 'not-found' : 'http', message, res.status, obj);
  }
  if (json === null && text) throw new ApiFailure('http', 'The server sent a response that is not JSON.', res.status);
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  health: (signal?: AbortSignal) => call<Health>('GET', '/api/health', undefined, signal),
  build: (files: Record<string, string>) => call<BuildResult>('POST', '/api/build', { files }),
  buildInfo: (buildId: string) => call<{ buildId: string; goMod?: string; goSum?: string }>('GET', `/api/builds/${enc(buildId)}`),
  wasmUrl: (buildId: string) => `/api/builds/${enc(buildId)}/main.wasm`,
  createSession: (req: SessionRequest) => call<SessionInfo>('POST', '/api/sessions', req),
  sessionUrl: (id: string) => `/api/sessions/${enc(id)}`,
  deleteSession: (id: string) => call<unknown>('DELETE', `/api/sessions/${enc(id)}`),
  exchange: (id: string, req: HttpRequestMessage) =>
    call<Exchange>('POST', `/api/sessions/${enc(id)}/exchanges`, req),
  eventsUrl: (id: string) => `/api/sessions/${enc(id)}/events`,
  run: (req: RunRequest, signal?: AbortSignal) => call<RunResponse>('POST', '/api/run', req, signal),
  share: (s: Scenario) => call<ShareResponse>('POST', '/api/share', s),
  loadShare: (id: string) => call<Scenario>('GET', `/api/share/${enc(id)}`),
  format: (source: string) => call<FormatResponse>('POST', '/api/format', { source }),
  analyze: (files: Record<string, string>, signal?: AbortSignal) => call<Analysis>('POST', '/api/analyze', { files }, signal),
  pluginEffect: (id: string, req: HttpRequestMessage) => call<PluginEffect>('POST', `/api/sessions/${enc(id)}/plugin-effect`, req),
  sequence: (id: string, req: SequenceRequest) => call<SequenceResult>('POST', `/api/sessions/${enc(id)}/sequence`, req),
  advance: (id: string, ms: number) => call<AdvanceResult>('POST', `/api/sessions/${enc(id)}/advance`, { ms }),
  /** POST /api/import: a .zip in, a project out. */
  importZip: async (zip: Blob) =>
    (await (await raw('/api/import', { method: 'POST', headers: { 'content-type': 'application/zip' }, body: zip })).json()) as ImportResult,
  /** POST /api/export: the scenario in, a runnable bundle (.zip) out. */
  exportZip: async (s: Scenario) =>
    (await raw('/api/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s) })).blob(),
  examples: () => call<ExampleSummary[]>('GET', '/api/examples'),
  example: (name: string) => call<ExampleDetail>('GET', `/api/examples/${enc(name)}`),
};

export type Api = typeof api;
