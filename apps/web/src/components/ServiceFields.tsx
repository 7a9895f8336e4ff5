// The fields of one declared service, by kind: an HTTP service's answer, a
// Redis service's password, the LLM stand-in's models, key, pace and failure.
import type { HttpService, LlmService, RedisService } from '../api/types';
import { headersToText, textToHeaders } from '../lib/headerText';
import { modelsFromText } from '../lib/services';
import { useParsedText } from './useParsedText';

interface FieldsProps<S> {
  service: S;
  onChange: (next: S) => void;
}

/** Parsed when the field is left or Run is pressed from it, so a line being typed is not in the store half-done. */
function HeadersField({ service, onChange }: FieldsProps<HttpService>) {
  const [text, setText] = useParsedText(service.headers, headersToText, textToHeaders);
  const commit = () => {
    const headers = textToHeaders(text);
    if (JSON.stringify(headers) !== JSON.stringify(service.headers)) onChange({ ...service, headers });
  };
  return (
    <textarea
      aria-label="Service headers"
      placeholder="content-type: application/json"
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        // Ctrl/Cmd+Enter runs (a window listener): the headers must be in the store first.
        if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') commit();
      }}
    />
  );
}

/** A fixed answer (status, headers, body), or httpbin at a path. */
export function HttpFields({ service, onChange }: FieldsProps<HttpService>) {
  const httpbin = service.via === 'httpbin' || service.httpbinPath !== undefined;
  return (
    <>
      <div className="service-row">
        <select
          aria-label="Service answer"
          value={httpbin ? 'httpbin' : 'fixed'}
          onChange={(e) => onChange({ ...service, via: e.target.value === 'httpbin' ? 'httpbin' : undefined, httpbinPath: undefined })}
        >
          <option value="fixed">fixed response</option>
          <option value="httpbin">httpbin</option>
        </select>
        {httpbin ? (
          <input
            aria-label="httpbin path"
            value={service.httpbinPath ?? ''}
            placeholder="(the callout's own path)"
            onChange={(e) => {
              const path = e.target.value;
              onChange({ ...service, via: 'httpbin', httpbinPath: path ? (path.startsWith('/') ? path : `/${path}`) : undefined });
            }}
          />
        ) : (
          <input
            aria-label="Service status"
            type="number"
            min={100}
            max={599}
            value={service.status}
            onChange={(e) => onChange({ ...service, status: Number(e.target.value) || 200 })}
          />
        )}
      </div>
      {!httpbin && (
        <div className="service-msg">
          <HeadersField service={service} onChange={onChange} />
          <textarea aria-label="Service body" placeholder='{"token": "abc"}' value={service.body} onChange={(e) => onChange({ ...service, body: e.target.value })} />
        </div>
      )}
    </>
  );
}

interface OptionalTextProps {
  label: string;
  title: string;
  placeholder: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}

/** A text setting that may be left out: empty means not set. */
function OptionalText({ label, title, placeholder, value, onChange }: OptionalTextProps) {
  return (
    <label className="small muted" title={title}>
      {label}{' '}
      <input aria-label={label} value={value ?? ''} placeholder={placeholder} onChange={(e) => onChange(e.target.value || undefined)} />
    </label>
  );
}

export function RedisFields({ service, onChange }: FieldsProps<RedisService>) {
  return (
    <div className="service-row">
      <OptionalText
        label="Redis password"
        title="Redis requires AUTH with this password, as requirepass does: the plugin's Init must pass it"
        placeholder="(none)"
        value={service.password}
        onChange={(password) => onChange({ ...service, password })}
      />
      <span className="muted small">A session&apos;s own Redis, empty at start; the Redis tab shows its keys.</span>
    </div>
  );
}

const FAIL_STATUSES = [401, 429, 500] as const;

export function LlmFields({ service, onChange }: FieldsProps<LlmService>) {
  const [models, setModels] = useParsedText(service.models, (m) => (m ?? []).join(', '), modelsFromText);
  return (
    <div className="service-row llm">
      <label className="small muted" title="The models it serves; any other answers 404 model_not_found. Empty: common OpenAI, Qwen and DeepSeek names">
        Models{' '}
        <input
          aria-label="LLM models"
          value={models}
          placeholder="gpt-4o, qwen-max (optional)"
          onChange={(e) => {
            setModels(e.target.value);
            onChange({ ...service, models: modelsFromText(e.target.value) });
          }}
        />
      </label>
      <OptionalText
        label="API key"
        title="Requests must carry this key (Authorization: Bearer … or api-key), else 401"
        placeholder="(any)"
        value={service.apiKey}
        onChange={(apiKey) => onChange({ ...service, apiKey })}
      />
      <label className="small muted" title="The pause between the chunks of a streamed answer">
        Chunk delay (ms){' '}
        <input
          aria-label="LLM chunk delay"
          type="number"
          min={0}
          max={5000}
          value={service.chunkDelayMs ?? ''}
          placeholder="0"
          onChange={(e) => onChange({ ...service, chunkDelayMs: e.target.value === '' ? undefined : Math.min(5000, Math.max(0, Math.floor(Number(e.target.value)) || 0)) })}
        />
      </label>
      <label className="small muted" title="Every completion and embedding request answers this error, to try the plugin's error handling">
        Fail with{' '}
        <select
          aria-label="LLM fail status"
          value={service.failStatus ?? ''}
          onChange={(e) => onChange({ ...service, failStatus: FAIL_STATUSES.find((s) => String(s) === e.target.value) })}
        >
          <option value="">none</option>
          {FAIL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
