// Mock callout services: a cluster whose name contains a service's `name`
// gets its fixed answer (status, headers, body) or a path on httpbin instead.
// Sent with the session; changing them starts a new session on the next Run.
import type { MockService } from '../api/types';
import { useStore } from '../state/store';

const headersText = (h: MockService['headers']) => (h ?? []).map(([n, v]) => `${n}: ${v}`).join('\n');
const parseHeaders = (text: string): [string, string][] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);

export function ServicesEditor() {
  const services = useStore((s) => s.services);
  const setServices = useStore((s) => s.setServices);
  const patch = (i: number, p: Partial<MockService>) => setServices(services.map((s, j) => (j === i ? { ...s, ...p } : s)));
  return (
    <details className="services">
      <summary className="small">
        Mock callout services {services.length > 0 && <span className="badge">{services.length}</span>}
      </summary>
      <p className="muted small">
        A callout whose cluster name contains a service name (e.g. <code>token-service</code> in <code>outbound|80||token-service.static</code>) gets this
        answer; every other callout reaches httpbin.
      </p>
      {services.map((s, i) => {
        const httpbin = s.httpbinPath !== undefined;
        return (
          <div key={i} className="service" role="group" aria-label={`Mock service ${i + 1}`}>
            <input aria-label="Service name" placeholder="token-service" value={s.name} onChange={(e) => patch(i, { name: e.target.value })} />
            <select
              aria-label="Service answer"
              value={httpbin ? 'httpbin' : 'fixed'}
              onChange={(e) => patch(i, e.target.value === 'httpbin' ? { httpbinPath: '/anything' } : { httpbinPath: undefined })}
            >
              <option value="fixed">fixed response</option>
              <option value="httpbin">path on httpbin</option>
            </select>
            {httpbin ? (
              <input aria-label="httpbin path" value={s.httpbinPath} placeholder="/anything" onChange={(e) => patch(i, { httpbinPath: e.target.value || '/' })} />
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
            <button className="icon" aria-label={`Remove mock service ${s.name || i + 1}`} onClick={() => setServices(services.filter((_, j) => j !== i))}>
              ×
            </button>
            {!httpbin && (
              <div className="service-msg">
                <textarea aria-label="Service headers" placeholder="content-type: application/json" value={headersText(s.headers)} onChange={(e) => patch(i, { headers: parseHeaders(e.target.value) })} />
                <textarea aria-label="Service body" placeholder='{"token": "abc"}' value={s.body ?? ''} onChange={(e) => patch(i, { body: e.target.value })} />
              </div>
            )}
          </div>
        );
      })}
      <button className="small" onClick={() => setServices([...services, { name: '', status: 200, headers: [['content-type', 'application/json']], body: '{}' }])}>
        + mock service
      </button>
    </details>
  );
}
