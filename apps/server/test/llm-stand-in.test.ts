import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatReply,
  contentText,
  countTokens,
  embedding,
  replyText,
  streamPieces,
  tokenize,
} from '../src/runtime/upstream/llm/reply.js';
import { createLlmServer } from '../src/runtime/upstream/llm/server.js';
import {
  DEFAULT_MODELS,
  LLM_SETTINGS_HEADER,
  parseLlmSettings,
  type LlmSettings,
} from '../src/runtime/upstream/llm/settings.js';
import { LlmSupervisor } from '../src/runtime/upstream/llm/supervisor.js';

const norm = (v: number[]) => Math.hypot(...v);

describe('tokens, replies and usage', () => {
  it('counts words and each other non-space character as one token', () => {
    expect(tokenize('Hello, world!')).toEqual(['Hello', ',', 'world', '!']);
    expect(tokenize("don't stop_now 42x")).toEqual(['don', "'", 't', 'stop_now', '42x']);
    expect(tokenize('abc你好')).toEqual(['abc', '你', '好']);
    expect(countTokens(' \n\t ')).toBe(0);
    expect(countTokens('')).toBe(0);
  });

  it('reads string content and the array-of-parts form', () => {
    expect(contentText('plain')).toBe('plain');
    expect(
      contentText([
        { type: 'text', text: 'Hi' },
        { type: 'image_url', image_url: { url: 'x' } },
        { type: 'text', text: 'there' },
      ]),
    ).toBe('Hi there');
    expect(contentText(null)).toBe('');
  });

  it('replies with the model and the last user message, and counts usage over every message', () => {
    const messages = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: null },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hello,' },
          { type: 'text', text: 'world!' },
        ],
      },
    ];
    expect(replyText('gpt-4o', messages)).toBe('Stand-in reply from gpt-4o: you said "Hello, world!"');
    expect(replyText('gpt-4o', [{ role: 'system', content: 'x' }])).toBe(
      'Stand-in reply from gpt-4o: you said ""',
    );
    // Stand - in reply from gpt - 4o : you said " Hello , world ! "
    expect(chatReply('gpt-4o', messages)).toEqual({
      content: 'Stand-in reply from gpt-4o: you said "Hello, world!"',
      finish_reason: 'stop',
      usage: { prompt_tokens: 4 + 2 + 4, completion_tokens: 17, total_tokens: 27 },
    });
  });

  it('cuts the reply at maxTokens and finishes with length', () => {
    const messages = [{ role: 'user', content: 'Hello, world!' }];
    expect(chatReply('gpt-4o', messages, 5)).toEqual({
      content: 'Stand-in reply from',
      finish_reason: 'length',
      usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 },
    });
    expect(chatReply('gpt-4o', messages, 17).finish_reason).toBe('stop');
  });

  it('streams one piece per token that join back into the text', () => {
    const text = 'Stand-in reply from qwen-max: you said "  spaced  out  "';
    const pieces = streamPieces(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces).toHaveLength(countTokens(text));
    expect(streamPieces('  a b  ')).toEqual(['  a', ' b  ']);
    expect(streamPieces('   ')).toEqual(['   ']);
    expect(streamPieces('')).toEqual([]);
  });

  it('embeds deterministically as unit vectors of the asked dimensions', () => {
    const a = embedding('hello');
    expect(a).toHaveLength(16);
    expect(embedding('hello')).toEqual(a);
    expect(embedding('hello!')).not.toEqual(a);
    expect(norm(a)).toBeCloseTo(1, 12);
    const long = embedding('hello', 40);
    expect(long).toHaveLength(40);
    expect(norm(long)).toBeCloseTo(1, 12);
  });

  it('takes settings from the header, dropping what is invalid', () => {
    expect(parseLlmSettings(undefined)).toEqual({});
    expect(parseLlmSettings('not json')).toEqual({});
    expect(parseLlmSettings('[1]')).toEqual({});
    expect(
      parseLlmSettings(JSON.stringify({ models: ['m'], apiKey: 'k', chunkDelayMs: 5, failStatus: 429 })),
    ).toEqual({ models: ['m'], apiKey: 'k', chunkDelayMs: 5, failStatus: 429 });
    expect(
      parseLlmSettings(JSON.stringify({ models: [], apiKey: 3, chunkDelayMs: -1, failStatus: 404 })),
    ).toEqual({});
  });
});

describe('the stand-in over HTTP', () => {
  let server: Server;
  let url: string;
  /** The server's side of the last request, to see what it does after a client goes away. */
  let lastResponse: ServerResponse | null = null;

  beforeAll(async () => {
    server = createLlmServer();
    server.on('request', (_req, res: ServerResponse) => (lastResponse = res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const USER = [{ role: 'user', content: 'Hello, world!' }];
  const CONTENT = 'Stand-in reply from gpt-4o: you said "Hello, world!"';

  function post(path: string, body: unknown, settings?: LlmSettings, headers: Record<string, string> = {}) {
    return fetch(url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(settings ? { [LLM_SETTINGS_HEADER]: JSON.stringify(settings) } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** The SSE events of a response, each with when its last byte arrived. */
  async function readEvents(res: Response): Promise<{ data: string; at: number }[]> {
    const events: { data: string; at: number }[] = [];
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const at = performance.now();
      buffered += value;
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        expect(event.startsWith('data: ')).toBe(true);
        events.push({ data: event.slice('data: '.length), at });
      }
    }
    expect(buffered).toBe('');
    return events;
  }

  it('answers a chat completion with the predicted content and usage', async () => {
    const body = { model: 'gpt-4o', messages: USER };
    const res = await post('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const json = await res.json();
    expect(json).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: CONTENT }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 4, completion_tokens: 17, total_tokens: 21 },
    });
    expect(json.id).toMatch(/^chatcmpl-[0-9a-f]+$/);
    expect(typeof json.created).toBe('number');
    // The id comes from the request; any path ending in /chat/completions is served.
    const again = await (await post('/compatible-mode/v1/chat/completions', body)).json();
    expect(again.id).toBe(json.id);
    const cut = await (await post('/v1/chat/completions', { ...body, max_completion_tokens: 5 })).json();
    expect(cut.choices[0]).toMatchObject({
      message: { content: 'Stand-in reply from' },
      finish_reason: 'length',
    });
    expect(cut.usage.completion_tokens).toBe(5);
  });

  it('streams the same content chunk by chunk, with usage on the finish chunk, then [DONE]', async () => {
    const res = await post('/v1/chat/completions', { model: 'gpt-4o', messages: USER, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('content-length')).toBeNull();
    const events = await readEvents(res);
    expect(events.at(-1)!.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks)
      expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o', id: chunks[0].id });
    expect(chunks[0].choices).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
    ]);
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(CONTENT);
    const last = chunks.at(-1);
    expect(last.choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    expect(last.usage).toEqual({ prompt_tokens: 4, completion_tokens: 17, total_tokens: 21 });
    expect(chunks.slice(0, -1).every((c) => !('usage' in c))).toBe(true);
  });

  it('with include_usage, streams usage in a last chunk without choices', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: USER,
      stream: true,
      stream_options: { include_usage: true },
    });
    const events = await readEvents(res);
    expect(events.at(-1)!.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(CONTENT);
    expect(chunks.at(-2).choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 4, completion_tokens: 17, total_tokens: 21 },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('sends each chunk as it is made: with a delay, the first arrives well before the last', async () => {
    const res = await post(
      '/v1/chat/completions',
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { chunkDelayMs: 50 },
    );
    const events = await readEvents(res);
    const arrivals = new Set(events.map((e) => e.at));
    expect(arrivals.size).toBeGreaterThan(3);
    expect(events[0].at).toBeLessThan(events.at(-1)!.at);
  });

  it('stops streaming when the client goes away', async () => {
    const res = await post(
      '/v1/chat/completions',
      { model: 'gpt-4o', messages: USER, stream: true },
      { chunkDelayMs: 50 },
    );
    const reader = res.body!.getReader();
    await reader.read();
    const serverSide = lastResponse!;
    let writes = 0;
    const write = serverSide.write.bind(serverSide);
    serverSide.write = ((...args: Parameters<typeof write>) => (
      writes++,
      write(...args)
    )) as typeof serverSide.write;
    const closed = new Promise((resolve) => serverSide.once('close', resolve));
    await reader.cancel();
    await closed;
    const after = writes;
    await new Promise((r) => setTimeout(r, 200));
    expect(writes).toBe(after);
    expect(serverSide.writableEnded).toBe(false);
  });

  it('checks the api key when the settings set one', async () => {
    const body = { model: 'gpt-4o', messages: USER };
    const missing = await post('/v1/chat/completions', body, { apiKey: 'sk-right' });
    expect(missing.status).toBe(401);
    const missingJson = await missing.json();
    expect(missingJson.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      param: null,
    });
    expect(missingJson.error.message).toMatch(/did not provide an API key/);
    const wrong = await post(
      '/v1/chat/completions',
      body,
      { apiKey: 'sk-right' },
      { authorization: 'Bearer sk-wrong' },
    );
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.message).toMatch(/Incorrect API key/);
    expect(
      (await post('/v1/chat/completions', body, { apiKey: 'sk-right' }, { authorization: 'Bearer sk-right' }))
        .status,
    ).toBe(200);
    expect(
      (await post('/v1/chat/completions', body, { apiKey: 'sk-right' }, { 'api-key': 'sk-right' })).status,
    ).toBe(200);
    // An unreadable settings header means the defaults: no key needed.
    const res = await fetch(url + '/v1/chat/completions', {
      method: 'POST',
      headers: { [LLM_SETTINGS_HEADER]: '{oops' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  });

  it('fails every completion and embedding request with failStatus', async () => {
    const limited = await post(
      '/v1/chat/completions',
      { model: 'gpt-4o', messages: USER },
      { failStatus: 429 },
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await limited.json()).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    const broken = await post(
      '/v1/embeddings',
      { model: 'text-embedding-3-small', input: 'x' },
      { failStatus: 500 },
    );
    expect(broken.status).toBe(500);
    expect((await broken.json()).error).toMatchObject({ type: 'server_error', code: 'server_error' });
    const denied = await post(
      '/v1/chat/completions',
      { model: 'gpt-4o', messages: USER },
      { failStatus: 401 },
    );
    expect(denied.status).toBe(401);
    expect((await denied.json()).error.code).toBe('invalid_api_key');
  });

  it('serves the models of the settings, and 404 for another', async () => {
    const settings = { models: ['my-model', 'my-embedder'] };
    const list = await (
      await fetch(url + '/v1/models', { headers: { [LLM_SETTINGS_HEADER]: JSON.stringify(settings) } })
    ).json();
    expect(list).toMatchObject({
      object: 'list',
      data: [
        { id: 'my-model', object: 'model' },
        { id: 'my-embedder', object: 'model' },
      ],
    });
    const defaults = await (await fetch(url + '/v1/models')).json();
    expect(defaults.data.map((m: { id: string }) => m.id)).toEqual(DEFAULT_MODELS);
    expect((await post('/v1/chat/completions', { model: 'my-model', messages: USER }, settings)).status).toBe(
      200,
    );
    const unknown = await post('/v1/chat/completions', { model: 'gpt-4o', messages: USER }, settings);
    expect(unknown.status).toBe(404);
    const { error } = await unknown.json();
    expect(error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(error.message).toBe(
      "The model 'gpt-4o' does not exist. This stand-in serves: my-model, my-embedder.",
    );
  });

  it('rejects bodies it cannot use with 400, saying why', async () => {
    const bad = '{"model": "gpt-4o", messages: []}';
    let parseMessage = '';
    try {
      JSON.parse(bad);
    } catch (err) {
      parseMessage = (err as Error).message;
    }
    const res = await post('/v1/chat/completions', bad);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({ type: 'invalid_request_error', code: null });
    expect(error.message).toBe(`We could not parse the JSON body of your request: ${parseMessage}`);
    const noMessages = await post('/v1/chat/completions', { model: 'gpt-4o' });
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).error).toMatchObject({
      param: 'messages',
      message: "Missing required parameter: 'messages'.",
    });
    const notArray = await post('/v1/chat/completions', { model: 'gpt-4o', messages: 'hi' });
    expect((await notArray.json()).error.message).toMatch(/'messages': expected an array/);
    const noModel = await post('/v1/chat/completions', { messages: USER });
    expect((await noModel.json()).error).toMatchObject({
      param: 'model',
      message: "Missing required parameter: 'model'.",
    });
    const badMax = await post('/v1/chat/completions', { model: 'gpt-4o', messages: USER, max_tokens: 0 });
    expect((await badMax.json()).error.param).toBe('max_tokens');
  });

  it('answers wrong methods, unknown paths and oversized bodies', async () => {
    const get = await fetch(url + '/v1/chat/completions');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const unknown = await fetch(url + '/v1/completions', { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toMatch(
      /\/chat\/completions.*\/embeddings.*\/models.*\/health/,
    );
    const huge = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024) }],
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('request_too_large');
    expect((await fetch(url + '/health')).status).toBe(200);
  });

  it('embeds each input deterministically, normalised, with the asked dimensions', async () => {
    const res = await post('/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: ['hello world', 'bye'],
      dimensions: 8,
    });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    expect(json.data).toEqual([
      { object: 'embedding', index: 0, embedding: embedding('hello world', 8) },
      { object: 'embedding', index: 1, embedding: embedding('bye', 8) },
    ]);
    for (const d of json.data) expect(norm(d.embedding)).toBeCloseTo(1, 12);
    const single = await (
      await post('/v1/embeddings', { model: 'text-embedding-ada-002', input: 'hello world' })
    ).json();
    expect(single.data).toHaveLength(1);
    expect(single.data[0].embedding).toHaveLength(16);
    expect(single.data[0].embedding).toEqual(embedding('hello world'));
    const bad = await post('/v1/embeddings', { model: 'text-embedding-ada-002', input: 'x', dimensions: 0 });
    expect((await bad.json()).error.param).toBe('dimensions');
  });
});

describe('LlmSupervisor', () => {
  it('starts the built stand-in, brings it back after a crash, and stops it', async () => {
    const llm = new LlmSupervisor();
    try {
      await llm.ready();
      expect((await fetch(llm.baseUrl + '/health')).status).toBe(200);
      const first = llm.pid!;
      process.kill(first, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (!(llm.running && llm.pid !== first) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(llm.pid).not.toBe(first);
      await llm.ready();
      const res = await fetch(llm.baseUrl + '/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello, world!' }] }),
      });
      expect((await res.json()).choices[0].message.content).toBe(
        'Stand-in reply from gpt-4o: you said "Hello, world!"',
      );
      const second = llm.pid!;
      await llm.stop();
      expect(llm.running).toBe(false);
      expect(() => process.kill(second, 0)).toThrow();
    } finally {
      await llm.stop();
    }
  });
});
