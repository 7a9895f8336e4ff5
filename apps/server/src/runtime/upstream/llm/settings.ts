/**
 * How a session wants the LLM stand-in to behave. The playground's forwarder sends them as JSON in
 * the {@link LLM_SETTINGS_HEADER} request header, so one stand-in process serves every session.
 */
export interface LlmSettings {
  /** The models served; a request for another one is a 404 `model_not_found`. Default {@link DEFAULT_MODELS}. */
  models?: string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or `api-key: <apiKey>`. */
  apiKey?: string;
  /** The pause between streamed chunks, in ms (0 to 60000). */
  chunkDelayMs?: number;
  /** Every completion and embedding request fails with this status. */
  failStatus?: 401 | 429 | 500;
}

export const LLM_SETTINGS_HEADER = 'x-playground-llm';

export const DEFAULT_MODELS: readonly string[] = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4',
  'gpt-3.5-turbo',
  'qwen-turbo',
  'qwen-max',
  'deepseek-chat',
  'text-embedding-3-small',
  'text-embedding-ada-002',
];

const MAX_CHUNK_DELAY_MS = 60_000;

/**
 * The settings in a request's header value. A missing header, or one that is not a JSON object,
 * means the defaults ({}); a field of the wrong type or out of range is dropped.
 */
export function parseLlmSettings(header: string | undefined): LlmSettings {
  if (!header) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(header);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const { models, apiKey, chunkDelayMs, failStatus } = raw as Record<string, unknown>;
  const settings: LlmSettings = {};
  if (Array.isArray(models) && models.length > 0 && models.every((m) => typeof m === 'string' && m !== ''))
    settings.models = models;
  if (typeof apiKey === 'string' && apiKey !== '') settings.apiKey = apiKey;
  if (typeof chunkDelayMs === 'number' && chunkDelayMs >= 0 && chunkDelayMs <= MAX_CHUNK_DELAY_MS)
    settings.chunkDelayMs = chunkDelayMs;
  if (failStatus === 401 || failStatus === 429 || failStatus === 500) settings.failStatus = failStatus;
  return settings;
}
