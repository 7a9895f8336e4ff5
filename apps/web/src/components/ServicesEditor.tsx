// The services the gateway has, for the plugin's callouts: a cluster whose host
// starts with a service's `name` gets its fixed answer (status, headers, body)
// or goes to httpbin. Any other cluster fails as in Envoy (BadArgument), except
// the route's own. Sent with the session; changes start a new session on Run.
import { useState } from 'react';
import type { HeaderList, MockService } from '../api/types';
import { headersToText, textToHeaders } from '../lib/headerText';
import { useStore } from '../state/store';

/**
 * The headers as free text. Parsing on every keystroke would drop a line as
 * soon as it has no colon yet (and the caret with it), so the text stays here
 * and is parsed when the field is left or Run is pressed from it.
 */
function HeadersField({ headers, onChange }: { headers: HeaderList | undefined; onChange: (h: HeaderList) => void }) {
  const [text, setText] = useState(() => headersToText(headers));
  const [shown, setShown] = useState(headers);
  // Headers replaced from outside (another scenario opened): show those.
  if (headers !== shown) {
    setShown(headers);
    if (JSON.stringify(textToHeaders(text)) !== JSON.stringify(headers ?? [])) setText(headersToText(headers));
  }
  const commit = () => {
    const parsed = textToHeaders(text);
    if (JSON.stringify(parsed) !== JSON.stringify(headers ?? [])) onChange(parsed);
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

export function ServicesEditor() {
  const services = useStore((s) => s.services);
  const setServices = useStore((s) => s.setServices);
  const patch = (i: number, p: Partial<MockService>) => setServices(services.map((s, j) => (j === i ? { ...s, ...p } : s)));
  return (
    <details className="services">
      <summary className="small">
        Services {services.length > 0 && <span className="badge">{services.length}</span>}
      </summary>
      <p className="muted small">
        The clusters the gateway has for callouts: a service named <code>token-service</code> serves <code>outbound|80||token-service.static</code> (and .dns, k8s
        names). The route&apos;s own cluster (httpbin) is always there; a callout to any other cluster fails at once with BadArgument, as in Envoy.
      </p>
      {services.map((s, i) => {
        const httpbin = s.via === 'httpbin' || s.httpbinPath !== undefined;
        return (
          <div key={i} className="service" role="group" aria-label={`Service ${i + 1}`}>
            <input aria-label="Service name" placeholder="token-service" value={s.name} onChange={(e) => patch(i, { name: e.target.value })} />
            <select
              aria-label="Service answer"
              value={httpbin ? 'httpbin' : 'fixed'}
              onChange={(e) => patch(i, e.target.value === 'httpbin' ? { via: 'httpbin', httpbinPath: undefined } : { via: undefined, httpbinPath: undefined })}
            >
              <option value="fixed">fixed response</option>
              <option value="httpbin">httpbin</option>
            </select>
            {httpbin ? (
              <input
                aria-label="httpbin path"
                value={s.httpbinPath ?? ''}
                placeholder="(the callout's own path)"
                onChange={(e) => patch(i, { via: 'httpbin', httpbinPath: e.target.value ? (e.target.value.startsWith('/') ? e.target.value : `/${e.target.value}`) : undefined })}
              />
            ) : (
              <input
                aria-label="Service status"
                type="number"
                min={100}
                max={599}
                value={s.status ?? 200}
                onChange={(e) => patch(i, { status: Number(e.target.value) || 200 })}
              />
            )}
            <button className="icon" aria-label={`Remove service ${s.name || i + 1}`} onClick={() => setServices(services.filter((_, j) => j !== i))}>
              ×
            </button>
            {!httpbin && (
              <div className="service-msg">
                <HeadersField headers={s.headers} onChange={(headers) => patch(i, { headers })} />
                <textarea aria-label="Service body" placeholder='{"token": "abc"}' value={s.body ?? ''} onChange={(e) => patch(i, { body: e.target.value })} />
              </div>
            )}
          </div>
        );
      })}
      <button className="small" onClick={() => setServices([...services, { name: '', status: 200, headers: [['content-type', 'application/json']], body: '{}' }])}>
        + service
      </button>
    </details>
  );
}
