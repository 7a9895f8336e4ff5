import { z } from 'zod';
import { HeaderList } from './http.js';

/**
 * The services a session's gateway has besides the route's own httpbin. A cluster is served by a
 * service when its name is the service's `name`, or its host starts with it (`token-service`
 * serves `outbound|80||token-service.static`, `.dns` and k8s names alike); a call to any other
 * cluster fails as in Envoy.
 *
 * - `http`: answers the plugin's callouts with a fixed response, or passes them to httpbin;
 * - `redis`: a real Redis server of the session's own (empty at start, gone with the session) for
 *   proxy_redis_call; `password` makes it require AUTH as `requirepass` would;
 * - `llm`: the playground's OpenAI-compatible stand-in for an LLM provider (not a real model: its
 *   replies are derived from the request), for callouts and as the route's upstream
 *   (`gateway.upstream`).
 */
const name = z.string().min(1).max(200);

export const HttpService = z
  .object({
    kind: z.literal('http'),
    name,
    status: z.number().int().min(100).max(599).default(200),
    headers: HeaderList.default([]),
    body: z.string().max(256 * 1024).default(''),
    /** `httpbin`: the call goes to httpbin (at `httpbinPath`, else the callout's own path) instead of the fixed response. */
    via: z.enum(['fixed', 'httpbin']).optional(),
    /** When set, the call goes to this path on httpbin instead of the fixed response. */
    httpbinPath: z.string().startsWith('/').optional(),
  })
  .strict();
export type HttpService = z.infer<typeof HttpService>;

export const RedisService = z
  .object({
    kind: z.literal('redis'),
    name,
    /** Redis requires AUTH with this password (the plugin's Init must pass it). */
    password: z.string().min(1).max(200).optional(),
  })
  .strict();
export type RedisService = z.infer<typeof RedisService>;

export const LlmService = z
  .object({
    kind: z.literal('llm'),
    name,
    /** Models served (others answer 404 model_not_found); default: a list of common OpenAI, Qwen and DeepSeek names. */
    models: z.array(z.string().min(1).max(100)).max(32).optional(),
    /** Requests must carry this key (`Authorization: Bearer …` or `api-key`), else 401. */
    apiKey: z.string().min(1).max(200).optional(),
    /** Delay between streamed chunks. */
    chunkDelayMs: z.number().int().min(0).max(5000).optional(),
    /** Every completion and embedding request answers this error. */
    failStatus: z.union([z.literal(401), z.literal(429), z.literal(500)]).optional(),
  })
  .strict();
export type LlmService = z.infer<typeof LlmService>;

/** A declared service; `kind` defaults to `http` (what scenarios saved before kinds existed hold). */
export const Service = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'http' } : v),
  z.discriminatedUnion('kind', [HttpService, RedisService, LlmService]),
);
export type Service = z.infer<typeof Service>;

export const ServiceList = z
  .array(Service)
  .max(32)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `two services are named "${s.name}"` });
      seen.add(s.name);
    });
    if (list.filter((s) => s.kind === 'redis').length > 4) ctx.addIssue({ code: 'custom', message: 'at most 4 Redis services per session' });
  });

/** A key in a session's Redis, as the keys view shows it. */
export const RedisKey = z.object({
  key: z.string(),
  type: z.string(),
  /** Milliseconds to live; null when the key does not expire. */
  ttlMs: z.number().nullable(),
  /** The value, shortened: a string, or the first items of a list, set, hash or sorted set. */
  value: z.string(),
});
export type RedisKey = z.infer<typeof RedisKey>;

/** GET /api/sessions/{id}/redis: the keys of each Redis service, per database that has any. */
export const RedisKeysView = z.object({
  services: z.array(
    z.object({
      name: z.string(),
      /** Why the keys could not be read (the server is restarting, ...). */
      error: z.string().optional(),
      databases: z.array(z.object({ db: z.number().int(), size: z.number().int(), keys: z.array(RedisKey), truncated: z.boolean() })),
    }),
  ),
});
export type RedisKeysView = z.infer<typeof RedisKeysView>;
