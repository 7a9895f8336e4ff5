// The HTTP client for the playground API. Every call uses a relative URL, so
// the page only ever talks to its own origin. Failures are thrown as ApiFailure
// with a `kind` the UI turns into a clear message.
import { ExchangeStreamEvent, RunStreamEvent } from '@playground/shared';
import { readNdjson, type EventSchema } from './ndjson';
import type {
  Analysis,
  BuildModuleFiles,
  BuildResult,
  CheckRequest,
  CheckResult,
  ClockAdvance,
  ExampleSummary,
  Exchange,
  FormatResult,
  Health,
  HttpRequestMessage,
  ImportedProject,
  Lesson,
  LessonSummary,
  LspCompletionAnswer,
  LspDefinitionAnswer,
  LspDiagnosticsAnswer,
  LspFileChange,
  LspHoverAnswer,
  LspOpenAnswer,
  LspPositionRequest,
  LspSignatureAnswer,
  PluginComparison,
  RedisKeysView,
  RunRequestInput,
  RunResult,
  Scenario,
  SequenceRequestInput,
  SequenceResult,
  ShareCreated,
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

const unreachable = (status = 0) => new ApiFailure('unreachable', 'The playground server cannot be reached.', status);

/** An error status as an ApiFailure; the message is the JSON error body's `error` when it has one. */
function httpFailure(status: number, body: Record<string, unknown> | null, fallback: string): ApiFailure {
  const message = typeof body?.error === 'string' && body.error ? body.error : fallback;
  return new ApiFailure(status === 404 ? 'not-found' : 'http', message, status, body);
}

async function send(method: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { method, ...init });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw unreachable();
  }
}

const jsonInit = (body: unknown, signal?: AbortSignal): RequestInit => ({
  headers: body === undefined ? undefined : { 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
  signal,
});

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** The failure a non-2xx answer stands for. */
async function failureOf(res: Response): Promise<ApiFailure> {
  const json = parseJson(await res.text());
  // A dev proxy answers 502/504 (with no JSON) when the server is down.
  if ((res.status === 502 || res.status === 503 || res.status === 504) && json === null) return unreachable(res.status);
  const obj = json && typeof json === 'object' ? (json as Record<string, unknown>) : null;
  return httpFailure(res.status, obj, `HTTP ${res.status} ${res.statusText}`);
}

/** A call whose answer is not JSON (a .zip in or out). */
async function raw(url: string, init: RequestInit): Promise<Response> {
  const res = await send('POST', url, init);
  if (!res.ok) throw await failureOf(res);
  return res;
}

async function call<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await send(method, url, jsonInit(body, signal));
  if (!res.ok) throw await failureOf(res);
  const text = await res.text();
  const json = parseJson(text);
  if (json === null && text) throw new ApiFailure('http', 'The server sent a response that is not JSON.', res.status);
  return json as T;
}

/**
 * POST to a `?stream=1` route: each NDJSON event goes to `onEvent` as it arrives, and the last one
 * (the answer) is returned. Failures before the stream begins are thrown as `call` throws them; an
 * `error` event, as the status it carries would have been.
 */
async function stream<E extends { type: string }>(url: string, body: unknown, schema: EventSchema, onEvent: (e: E) => void, signal?: AbortSignal): Promise<E | undefined> {
  const res = await send('POST', url, jsonInit(body, signal));
  if (!res.ok) throw await failureOf(res);
  let last: E | undefined;
  try {
    if (res.body) {
      await readNdjson<E>(res.body, schema, (e) => {
        last = e;
        onEvent(e);
      });
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiFailure('unreachable', 'The connection to the playground server broke while the answer was streaming.');
  }
  if (last && isErrorEvent(last)) throw httpFailure(last.status, { error: last.error }, last.error);
  return last;
}

type ErrorEvent = { type: 'error'; status: number; error: string };
const isErrorEvent = (e: { type: string }): e is ErrorEvent => e.type === 'error';
/** A stream that ended without its answer (the server stopped half-way). */
const cutShort = () => new ApiFailure('http', 'The server ended its answer before sending the result.');

const enc = encodeURIComponent;

/** What each Go intelligence request (POST /api/lsp/{id}/{op}) answers. */
export interface LspAnswers {
  completion: LspCompletionAnswer;
  hover: LspHoverAnswer;
  signature: LspSignatureAnswer;
  definition: LspDefinitionAnswer;
}
export type LspOp = keyof LspAnswers;

export const api = {
  health: (signal?: AbortSignal) => call<Health>('GET', '/api/health', undefined, signal),
  buildInfo: (buildId: string, signal?: AbortSignal) => call<BuildModuleFiles>('GET', `/api/builds/${enc(buildId)}`, undefined, signal),
  wasmUrl: (buildId: string) => `/api/builds/${enc(buildId)}/main.wasm`,
  sessionUrl: (id: string) => `/api/sessions/${enc(id)}`,
  deleteSession: (id: string) => call<unknown>('DELETE', `/api/sessions/${enc(id)}`),
  /** An exchange whose response is handed to `onEvent` as the gateway's client receives it. */
  exchangeStream: async (id: string, req: HttpRequestMessage, onEvent: (e: ExchangeStreamEvent) => void, signal?: AbortSignal): Promise<Exchange> => {
    const last = await stream<ExchangeStreamEvent>(`/api/sessions/${enc(id)}/exchanges?stream=1`, req, ExchangeStreamEvent, onEvent, signal);
    if (last?.type !== 'exchange') throw cutShort();
    return last.exchange;
  },
  eventsUrl: (id: string) => `/api/sessions/${enc(id)}/events`,
  redisKeys: (id: string) => call<RedisKeysView>('GET', `/api/sessions/${enc(id)}/redis`),
  /** Deletes every key of the session's Redis services. */
  clearRedis: (id: string) => call<null>('DELETE', `/api/sessions/${enc(id)}/redis`),
  /** POST /api/run?stream=1: the build, the session and the response go to `onEvent` as they happen. */
  run: async (req: RunRequestInput, onEvent: (e: RunStreamEvent) => void, signal?: AbortSignal): Promise<RunResult> => {
    const last = await stream<RunStreamEvent>('/api/run?stream=1', req, RunStreamEvent, onEvent, signal);
    if (last?.type !== 'result') throw cutShort();
    // The status the plain route would have answered: a limit (429), a refused setting (400), ...
    if (last.status >= 400) throw httpFailure(last.status, { ...last.result.error }, `HTTP ${last.status}`);
    return last.result;
  },
  share: (s: Scenario) => call<ShareCreated>('POST', '/api/share', s),
  loadShare: (id: string, signal?: AbortSignal) => call<Scenario>('GET', `/api/share/${enc(id)}`, undefined, signal),
  format: (source: string) => call<FormatResult>('POST', '/api/format', { source }),
  analyze: (files: Record<string, string>, signal?: AbortSignal) => call<Analysis>('POST', '/api/analyze', { files }, signal),
  pluginEffect: (id: string, req: HttpRequestMessage, signal?: AbortSignal) =>
    call<PluginComparison>('POST', `/api/sessions/${enc(id)}/plugin-effect`, req, signal),
  sequence: (id: string, req: SequenceRequestInput, signal?: AbortSignal) => call<SequenceResult>('POST', `/api/sessions/${enc(id)}/sequence`, req, signal),
  advance: (id: string, ms: number, signal?: AbortSignal) => call<ClockAdvance>('POST', `/api/sessions/${enc(id)}/advance`, { ms }, signal),
  /** POST /api/import: a .zip in, a project out. */
  importZip: async (zip: Blob, signal?: AbortSignal) =>
    (await (await raw('/api/import', { method: 'POST', headers: { 'content-type': 'application/zip' }, body: zip, signal })).json()) as ImportedProject,
  /** POST /api/export: the scenario in, a runnable bundle (.zip) out. */
  exportZip: async (s: Scenario) =>
    (await raw('/api/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s) })).blob(),
  /**
   * POST /api/build?speculative=1: the sources as typed, built ahead of Run when the server's queue
   * is idle (a cached build answers at once); `skipped` when the server chose not to build.
   */
  speculativeBuild: (files: Record<string, string>, signal?: AbortSignal) =>
    call<BuildResult | { skipped: string }>('POST', '/api/build?speculative=1', { files }, signal),
  examples: () => call<ExampleSummary[]>('GET', '/api/examples'),
  /** The tour: its lessons, one lesson (by slug or 1-based number), and an exercise's check. */
  lessons: (signal?: AbortSignal) => call<LessonSummary[]>('GET', '/api/tour', undefined, signal),
  lesson: (key: string, signal?: AbortSignal) => call<Lesson>('GET', `/api/tour/${enc(key)}`, undefined, signal),
  check: (req: CheckRequest, signal?: AbortSignal) => call<CheckResult>('POST', '/api/check', req, signal),
  example: (name: string, signal?: AbortSignal) => call<Scenario>('GET', `/api/examples/${enc(name)}`, undefined, signal),
  /** Go intelligence (gopls, see lsp/client.ts): open a workspace on the files, send an edit, ask about a position, close it. */
  lspOpen: (files: Record<string, string>, signal?: AbortSignal) => call<LspOpenAnswer>('POST', '/api/lsp', { files }, signal),
  lspChange: (id: string, change: LspFileChange, signal?: AbortSignal) => call<LspDiagnosticsAnswer>('POST', `/api/lsp/${enc(id)}/files`, change, signal),
  lspDiagnostics: (id: string, signal?: AbortSignal) => call<LspDiagnosticsAnswer>('GET', `/api/lsp/${enc(id)}/diagnostics`, undefined, signal),
  lspAsk: <K extends LspOp>(id: string, op: K, at: LspPositionRequest, signal?: AbortSignal) => call<LspAnswers[K]>('POST', `/api/lsp/${enc(id)}/${op}`, at, signal),
  /** DELETE /api/lsp/{id}, `keepalive` so that it still goes out when the tab is closing. */
  lspClose: async (id: string) => {
    await send('DELETE', `/api/lsp/${enc(id)}`, { keepalive: true });
  },
};

export type Api = typeof api;
