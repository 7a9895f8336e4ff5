// The services the gateway has besides the route's httpbin: HTTP services for
// callouts (a fixed answer or httpbin), a Redis of the session's own, and the
// playground's LLM stand-in. A cluster whose host starts with a service's name
// is served by it; any other fails as in Envoy (BadArgument). Sent with the
// session; changes start a new session on Run.
import type { Service } from '../api/types';
import { SERVICE_KINDS, blankService, type ServiceKind } from '../lib/services';
import { useStore } from '../state/store';
import { HttpFields, LlmFields, RedisFields } from './ServiceFields';

const NAME_PLACEHOLDER: Record<ServiceKind, string> = { http: 'token-service', redis: 'redis', llm: 'llm-openai' };

function KindFields({ service, onChange }: { service: Service; onChange: (next: Service) => void }) {
  if (service.kind === 'redis') return <RedisFields service={service} onChange={onChange} />;
  if (service.kind === 'llm') return <LlmFields service={service} onChange={onChange} />;
  return <HttpFields service={service} onChange={onChange} />;
}

export function ServicesEditor() {
  const services = useStore((s) => s.services);
  const setServices = useStore((s) => s.setServices);
  const replace = (i: number, next: Service) => setServices(services.map((s, j) => (j === i ? next : s)));
  return (
    <details className="services">
      <summary className="small">
        Services {services.length > 0 && <span className="badge">{services.length}</span>}
      </summary>
      <p className="muted small">
        The clusters the gateway has besides the route&apos;s own (httpbin); a call to any other fails at once with BadArgument, as in Envoy. An{' '}
        <strong>HTTP</strong> service named <code>token-service</code> answers callouts to <code>outbound|80||token-service.static</code> (and .dns, k8s
        names). A <strong>Redis</strong> service named <code>redis</code> serves <code>outbound|6379||redis.static</code>. The <strong>LLM provider</strong> is
        the playground&apos;s OpenAI-compatible stand-in, not a real model: its replies are derived from the prompt; the Gateway panel can route requests to it.
      </p>
      {services.map((s, i) => (
        <div key={i} className="service" role="group" aria-label={`Service ${i + 1}`}>
          <div className="service-row">
            <select aria-label="Service kind" value={s.kind} onChange={(e) => replace(i, blankService(e.target.value as ServiceKind, s.name))}>
              {SERVICE_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
            <input aria-label="Service name" placeholder={NAME_PLACEHOLDER[s.kind]} value={s.name} onChange={(e) => replace(i, { ...s, name: e.target.value })} />
            <button className="icon" aria-label={`Remove service ${s.name || i + 1}`} onClick={() => setServices(services.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
          <KindFields service={s} onChange={(next) => replace(i, next)} />
        </div>
      ))}
      <button className="small" onClick={() => setServices([...services, blankService('http')])}>
        + service
      </button>
    </details>
  );
}
