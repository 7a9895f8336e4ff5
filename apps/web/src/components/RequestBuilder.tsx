// The request builder: saved requests of the scenario (select, add, remove,
// run each), and the selected one's method, path, headers and body.
import { useStore } from '../state/store';
import type { BodyChunk } from '../api/types';
import { CurlLine } from './CurlLine';
import { GatewayPanel } from './GatewayPanel';
import { HeaderEditor } from './HeaderEditor';
import { ServicesEditor } from './ServicesEditor';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The body split in two pieces, a pause between them: a starting point to edit. */
function toChunks(text: string): BodyChunk[] {
  const half = Math.ceil(text.length / 2);
  return [
    { body: text.slice(0, half), delayMs: 0 },
    { body: text.slice(half), delayMs: 200 },
  ];
}

function fromChunks(chunks: BodyChunk[] | undefined): string {
  return (chunks ?? []).map((c) => (typeof c.body === 'string' ? c.body : '')).join('');
}

/** Each chunk's text and the pause before it is sent. */
function ChunksEditor({ chunks, onChange }: { chunks: BodyChunk[]; onChange: (c: BodyChunk[]) => void }) {
  const patch = (i: number, p: Partial<BodyChunk>) => onChange(chunks.map((c, j) => (j === i ? { ...c, ...p } : c)));
  return (
    <div className="chunks" role="group" aria-label="Body chunks">
      {chunks.map((c, i) => (
        <div key={i} className="chunk">
          <label className="small muted">
            after{' '}
            <input aria-label={`Chunk ${i + 1} delay`} type="number" min={0} max={10000} value={c.delayMs} onChange={(e) => patch(i, { delayMs: Math.max(0, Number(e.target.value) || 0) })} /> ms
          </label>
          <textarea aria-label={`Chunk ${i + 1}`} value={typeof c.body === 'string' ? c.body : ''} onChange={(e) => patch(i, { body: e.target.value })} />
          {chunks.length > 1 && (
            <button className="icon" aria-label={`Remove chunk ${i + 1}`} onClick={() => onChange(chunks.filter((_, j) => j !== i))}>
              ×
            </button>
          )}
        </div>
      ))}
      <button className="small" onClick={() => onChange([...chunks, { body: '', delayMs: 200 }])}>
        + chunk
      </button>
    </div>
  );
}

export function RequestBuilder() {
  const requests = useStore((s) => s.requests);
  const activeId = useStore((s) => s.activeRequestId);
  const select = useStore((s) => s.selectRequest);
  const update = useStore((s) => s.updateRequest);
  const add = useStore((s) => s.addRequest);
  const remove = useStore((s) => s.removeRequest);
  const running = useStore((s) => s.running);
  const run = useStore((s) => s.run);
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
        <label title="The client's address as the gateway sees it (source.address, x-forwarded-for), e.g. 192.168.1.7 for an allow list">
          Client
          <input aria-label="Client address" value={req.clientAddress ?? ''} placeholder="127.0.0.1" onChange={(e) => update(req.id, { clientAddress: e.target.value || undefined })} />
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
          <h4>
            Body{' '}
            <label className="small muted" title="Send the body in pieces, each after a pause, as a streaming client would: each piece reaches on_request_body on its own">
              <input
                type="checkbox"
                aria-label="Send the body in chunks"
                checked={!!req.bodyChunks}
                onChange={(e) => update(req.id, { bodyChunks: e.target.checked ? toChunks(bodyText) : undefined, ...(e.target.checked ? {} : { body: fromChunks(req.bodyChunks) }) })}
              />{' '}
              in chunks
            </label>
          </h4>
          {req.bodyChunks ? (
            <ChunksEditor chunks={req.bodyChunks} onChange={(bodyChunks) => update(req.id, { bodyChunks })} />
          ) : (
            <textarea
              aria-label="Request body"
              value={bodyText}
              disabled={typeof req.body !== 'string'}
              placeholder={req.method === 'GET' ? '(no body)' : '{"key": "value"}'}
              onChange={(e) => update(req.id, { body: e.target.value })}
            />
          )}
        </div>
      </div>
      <CurlLine request={req} />
      <ServicesEditor />
      <GatewayPanel />
    </section>
  );
}
