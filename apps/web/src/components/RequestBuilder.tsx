// The request builder: saved requests of the scenario (select, add, remove,
// run each), and the selected one's method, path, headers and body.
import { run } from '../state/actions';
import { useStore } from '../state/store';
import { CurlLine } from './CurlLine';
import { HeaderEditor } from './HeaderEditor';
import { ServicesEditor } from './ServicesEditor';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function RequestBuilder() {
  const requests = useStore((s) => s.requests);
  const activeId = useStore((s) => s.activeRequestId);
  const select = useStore((s) => s.selectRequest);
  const update = useStore((s) => s.updateRequest);
  const add = useStore((s) => s.addRequest);
  const remove = useStore((s) => s.removeRequest);
  const running = useStore((s) => s.running);
  const req = requests.find((r) => r.id === activeId) ?? requests[0];
  const bodyText = typeof req.body === 'string' ? req.body : '';
  const host = req.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? '';
  const setHost = (value: string) => {
    const i = req.headers.findIndex(([n]) => n.toLowerCase() === 'host');
    const headers = [...req.headers];
    if (!value) {
      if (i >= 0) headers.splice(i, 1);
    } else if (i >= 0) headers[i] = [headers[i][0], value];
    else headers.unshift(['host', value]);
    update(req.id, { headers });
  };

  return (
    <section className="request-builder" aria-label="Request">
      <div className="saved-requests" role="list" aria-label="Saved requests">
        {requests.map((r) => (
          <span key={r.id} role="listitem" className={`saved ${r.id === req.id ? 'active' : ''}`}>
            <button className="saved-name" aria-pressed={r.id === req.id} onClick={() => select(r.id)} title={`${r.method} ${r.path}`}>
              {r.name}
            </button>
            <button className="icon" aria-label={`Run ${r.name}`} title="Run this request" disabled={running} onClick={() => void run(r.id)}>
              ▶
            </button>
            {requests.length > 1 && (
              <button className="icon" aria-label={`Delete request ${r.name}`} title="Delete" onClick={() => remove(r.id)}>
                ×
              </button>
            )}
          </span>
        ))}
        <button className="small" aria-label="Add a request (copy of the selected one)" onClick={() => add(req)}>
          + request
        </button>
      </div>

      <div className="request-line">
        <select aria-label="Method" value={req.method} onChange={(e) => update(req.id, { method: e.target.value })}>
          {(METHODS.includes(req.method) ? METHODS : [req.method, ...METHODS]).map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <input aria-label="Path" className="path" value={req.path} onChange={(e) => update(req.id, { path: e.target.value })} placeholder="/get" />
        <input aria-label="Request name" className="name" value={req.name} onChange={(e) => update(req.id, { name: e.target.value })} />
      </div>
      <div className="routing" aria-label="Routing (for _rules_)">
        <label title="The gateway route the request matched (route_name), for _match_route_ rules">
          Route
          <input aria-label="Route" value={req.route ?? ''} placeholder="playground-route" onChange={(e) => update(req.id, { route: e.target.value })} />
        </label>
        <label title="The domain (:authority, the host header), for _match_domain_ rules">
          Domain
          <input aria-label="Domain (host)" value={host} placeholder="(host header)" onChange={(e) => setHost(e.target.value)} />
        </label>
        <label title="The upstream service (fqdn or fqdn:port), for _match_service_ rules">
          Service
          <input
            aria-label="Service"
            value={req.service ?? ''}
            placeholder="httpbin.playground.svc.cluster.local:80"
            onChange={(e) => update(req.id, { service: e.target.value })}
          />
        </label>
      </div>
      <div className="request-parts">
        <div>
          <h4>Headers</h4>
          <HeaderEditor headers={req.headers} onChange={(headers) => update(req.id, { headers })} />
        </div>
        <div>
          <h4>Body</h4>
          <textarea
            aria-label="Request body"
            value={bodyText}
            disabled={typeof req.body !== 'string'}
            placeholder={req.method === 'GET' ? '(no body)' : '{"key": "value"}'}
            onChange={(e) => update(req.id, { body: e.target.value })}
          />
        </div>
      </div>
      <CurlLine request={req} />
      <ServicesEditor />
    </section>
  );
}
