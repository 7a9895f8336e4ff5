import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  chatReply,
  countTokens,
  embedding,
  MAX_EMBEDDING_DIMENSIONS,
  shortHash,
  streamPieces,
  type ChatReply,
} from './reply.js';
import { DEFAULT_MODELS, LLM_SETTINGS_HEADER, parseLlmSettings, type LlmSettings } from './settings.js';

/**
 * An OpenAI-compatible LLM provider stand-in for the AI-gateway plugins to talk to: chat
 * completions (whole or streamed), embeddings and the model list, under any path prefix, with
 * answers derived from the request (see reply.ts) and behaviour set per request by the
 * {@link LLM_SETTINGS_HEADER} header.
 */

const MAX_BODY_BYTES = 1024 * 1024;
const SERVED_PATHS =
  'POST <prefix>/chat/completions, POST <prefix>/embeddings, GET <prefix>/models and GET /health';

type Route = 'chat' | 'embeddings' | 'models' | 'health';
const METHODS: Record<Route, string> = { chat: 'POST', embeddings: 'POST', models: 'GET', health: 'GET' };

function routeOf(path: string): Route | null {
  if (path === '/health') return 'health';
  if (path.endsWith('/chat/completions')) return 'chat';
  if (path.endsWith('/embeddings')) return 'embeddings';
  if (path.endsWith('/models')) return 'models';
  return null;
}

/** An answer in OpenAI's error shape. */
interface ApiError {
  status: number;
  message: string;
  type: string;
  code: string | null;
  param?: string;
  headers?: OutgoingHttpHeaders;
}

const invalid = (message: string, param?: string): ApiError => ({
  status: 400,
  message,
  type: 'invalid_request_error',
  code: null,
  param,
});

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: ApiError): void {
  sendJson(
    res,
    e.status,
    { error: { message: e.message, type: e.type, param: e.param ?? null, code: e.code } },
    e.headers,
  );
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function checkApiKey(req: IncomingMessage, apiKey: string | undefined): ApiError | null {
  if (apiKey === undefined) return null;
  const authorization = headerValue(req, 'authorization');
  const apiKeyHeader = headerValue(req, 'api-key');
  const unauthorized = (message: string): ApiError => ({
    status: 401,
    message,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  });
  if (authorization === undefined && apiKeyHeader === undefined) {
    return unauthorized(
      'You did not provide an API key: send it as `Authorization: Bearer <key>` or in an `api-key` header.',
    );
  }
  const bearer = authorization && /^Bearer\s+(.*)$/i.exec(authorization)?.[1].trim();
  if (bearer === apiKey || apiKeyHeader === apiKey) return null;
  return unauthorized(
    'Incorrect API key provided: it does not match the apiKey set for this playground session.',
  );
}

function forcedFailure(status: 401 | 429 | 500): ApiError {
  const why = '(forced by the failStatus setting of this playground session)';
  switch (status) {
    case 401:
      return {
        status,
        message: `Incorrect API key provided ${why}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      };
    case 429:
      return {
        status,
        message: `Rate limit reached ${why}. Retry after 1 s.`,
        type: 'requests',
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': '1' },
      };
    case 500:
      return {
        status,
        message: `The server had an error while processing your request ${why}.`,
        type: 'server_error',
        code: 'server_error',
      };
  }
}

/** The request body, or null past {@link MAX_BODY_BYTES} (the rest is read and dropped). */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => {
      req.removeListener('data', onData).removeListener('end', onEnd).resume();
      resolve(null);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge();
      else chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    if (Number(headerValue(req, 'content-length')) > MAX_BODY_BYTES) return tooLarge();
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

type Json = Record<string, unknown>;

/** The JSON object a POST carries, or the error to answer with. */
async function readJson(req: IncomingMessage): Promise<{ body: Json; raw: Buffer } | ApiError> {
  const raw = await readBody(req);
  if (raw === null) {
    // Stop reading what is left of an oversized body: the connection ends after the answer.
    return {
      status: 413,
      message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
      type: 'invalid_request_error',
      code: 'request_too_large',
      headers: { connection: 'close' },
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return invalid(`We could not parse the JSON body of your request: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalid('The request body must be a JSON object.');
  return { body: body as Json, raw };
}

/** The request's `model`, or the error: missing, not a string, or not served. */
function servedModel(body: Json, models: readonly string[]): string | ApiError {
  const { model } = body;
  if (model === undefined) return invalid("Missing required parameter: 'model'.", 'model');
  if (typeof model !== 'string') return invalid("Invalid type for 'model': expected a string.", 'model');
  if (!models.includes(model)) {
    return {
      status: 404,
      message: `The model '${model}' does not exist. This stand-in serves: ${models.join(', ')}.`,
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    };
  }
  return model;
}

/** `max_completion_tokens`, else `max_tokens`: absent, or a positive integer. */
function maxTokens(body: Json): number | undefined | ApiError {
  const param = body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const value = body[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return invalid(`Invalid '${param}': expected a positive integer.`, param);
}

const isError = (v: unknown): v is ApiError =>
  typeof v === 'object' && v !== null && 'status' in v && 'message' in v;

async function chat(req: IncomingMessage, res: ServerResponse, settings: LlmSettings): Promise<void> {
  const read = await readJson(req);
  if (isError(read)) return sendError(res, read);
  const { body, raw } = read;
  if (body.messages === undefined)
    return sendError(res, invalid("Missing required parameter: 'messages'.", 'messages'));
  if (!Array.isArray(body.messages))
    return sendError(res, invalid("Invalid type for 'messages': expected an array.", 'messages'));
  const model = servedModel(body, settings.models ?? DEFAULT_MODELS);
  if (isError(model)) return sendError(res, model);
  const max = maxTokens(body);
  if (isError(max)) return sendError(res, max);
  const reply = chatReply(model, body.messages, max);
  const head = { id: `chatcmpl-${shortHash(raw)}`, created: Math.floor(Date.now() / 1000), model };
  if (body.stream !== true) {
    return sendJson(res, 200, {
      id: head.id,
      object: 'chat.completion',
      created: head.created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.content },
          finish_reason: reply.finish_reason,
        },
      ],
      usage: reply.usage,
    });
  }
  const includeUsage = (body.stream_options as { include_usage?: unknown } | null)?.include_usage === true;
  await stream(res, sseEvents(head, reply, includeUsage), settings.chunkDelayMs ?? 0);
}

/**
 * A streamed reply as OpenAI sends it: the role, one chunk per piece of content, the finish
 * reason, then `[DONE]`. With `include_usage` the usage comes in a last chunk without choices
 * (and is null on the others); without, it rides on the finish chunk, where plugins that read the
 * last chunk's usage find it.
 */
function sseEvents(
  head: { id: string; created: number; model: string },
  reply: ChatReply,
  includeUsage: boolean,
): string[] {
  const { id, created, model } = head;
  const chunk = (choices: unknown[], usage: unknown = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices,
    ...(includeUsage || usage ? { usage } : {}),
  });
  const delta = (d: Json, finish_reason: string | null = null) => [{ index: 0, delta: d, finish_reason }];
  const chunks = [
    chunk(delta({ role: 'assistant', content: '' })),
    ...streamPieces(reply.content).map((content) => chunk(delta({ content }))),
    chunk(delta({}, reply.finish_reason), includeUsage ? null : reply.usage),
    ...(includeUsage ? [chunk([], reply.usage)] : []),
  ];
  return [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];
}

/** Writes each event as it comes, `delayMs` apart; a client that goes away ends it, timers and all. */
async function stream(res: ServerResponse, events: string[], delayMs: number): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  try {
    for (const [i, event] of events.entries()) {
      if (i > 0 && delayMs > 0) await sleep(delayMs, undefined, { signal: gone.signal });
      if (!res.write(event)) await once(res, 'drain', { signal: gone.signal });
    }
    res.end();
  } catch (err) {
    if (!gone.signal.aborted) throw err;
  }
}

async function embeddings(req: IncomingMessage, res: ServerResponse, settings: LlmSettings): Promise<void> {
  const read = await readJson(req);
  if (isError(read)) return sendError(res, read);
  const { body } = read;
  const model = servedModel(body, settings.models ?? DEFAULT_MODELS);
  if (isError(model)) return sendError(res, model);
  const { input, dimensions } = body;
  if (input === undefined) return sendError(res, invalid("Missing required parameter: 'input'.", 'input'));
  const inputs = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((s) => typeof s === 'string')) {
    return sendError(
      res,
      invalid("Invalid 'input': expected a string or a non-empty array of strings.", 'input'),
    );
  }
  if (
    dimensions !== undefined &&
    !(
      Number.isInteger(dimensions) &&
      (dimensions as number) >= 1 &&
      (dimensions as number) <= MAX_EMBEDDING_DIMENSIONS
    )
  ) {
    return sendError(
      res,
      invalid(
        `Invalid 'dimensions': expected an integer from 1 to ${MAX_EMBEDDING_DIMENSIONS}.`,
        'dimensions',
      ),
    );
  }
  const tokens = inputs.reduce<number>((n, s) => n + countTokens(s), 0);
  sendJson(res, 200, {
    object: 'list',
    data: inputs.map((s, index) => ({
      object: 'embedding',
      index,
      embedding: embedding(s, dimensions as number | undefined),
    })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

function modelList(models: readonly string[]) {
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'playground' })),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const route = routeOf(path);
  if (!route) {
    return sendError(res, {
      status: 404,
      message: `Unknown request URL: ${req.method} ${path}. This stand-in serves ${SERVED_PATHS}.`,
      type: 'invalid_request_error',
      code: 'unknown_url',
    });
  }
  if (req.method !== METHODS[route]) {
    const message = `Method ${req.method} is not allowed on ${path}: use ${METHODS[route]}.`;
    return sendError(res, {
      status: 405,
      message,
      type: 'invalid_request_error',
      code: 'method_not_allowed',
      headers: { allow: METHODS[route] },
    });
  }
  if (route === 'health') return sendJson(res, 200, { status: 'ok' });
  const settings = parseLlmSettings(headerValue(req, LLM_SETTINGS_HEADER));
  const denied = checkApiKey(req, settings.apiKey);
  if (denied) return sendError(res, denied);
  if (route === 'models') return sendJson(res, 200, modelList(settings.models ?? DEFAULT_MODELS));
  if (settings.failStatus) return sendError(res, forcedFailure(settings.failStatus));
  return route === 'chat' ? chat(req, res, settings) : embeddings(req, res, settings);
}

export function createLlmServer(): Server {
  return createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (res.headersSent) res.destroy();
      else
        sendError(res, {
          status: 500,
          message: `The stand-in failed: ${err.message}`,
          type: 'server_error',
          code: 'server_error',
        });
    });
  });
}
