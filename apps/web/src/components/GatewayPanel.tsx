// The gateway the session reproduces: the Higress gateway (default) or the guide's standalone
// envoy.yaml, and the few settings in which they differ. Sent with the session; changing them
// starts a new session on the next Run. Defaults come from the server (/api/health).
import type { GatewayProfile, GatewaySettings } from '../api/types';
import { llmServiceNames } from '../lib/services';
import { useStore } from '../state/store';

const KIB = 1024;

function formatBytes(n: number): string {
  return n % (KIB * KIB) === 0 ? `${n / (KIB * KIB)} MiB` : n % KIB === 0 ? `${n / KIB} KiB` : `${n} B`;
}

/** One line that says what the gateway will do differently from a forgiving proxy. */
export function gatewaySummary(p: GatewayProfile): string {
  const timeout = p.routeTimeoutMs ? `${p.routeTimeoutMs / 1000} s route timeout` : 'no route timeout';
  return `${p.name}: ${formatBytes(p.bufferLimitBytes)} buffer limit, ${timeout}, ${p.failStrategy}, ${p.workers} worker VM${p.workers === 1 ? '' : 's'}`;
}

/** The settings with the scenario's changes applied to the profile's defaults. */
export function resolvedGateway(g: GatewaySettings, profiles: GatewayProfile[] | undefined): GatewayProfile | undefined {
  const base = profiles?.find((p) => p.name === g.profile);
  return base && { ...base, ...Object.fromEntries(Object.entries(g).filter(([k, v]) => k !== 'profile' && v !== undefined)) };
}

export function GatewayPanel() {
  const gateway = useStore((s) => s.gateway);
  const setGateway = useStore((s) => s.setGateway);
  const profiles = useStore((s) => s.health?.gatewayProfiles);
  const live = useStore((s) => s.session?.gateway);
  const llms = llmServiceNames(useStore((s) => s.services));
  const shown = resolvedGateway(gateway, profiles);
  const base = profiles?.find((p) => p.name === gateway.profile);
  const patch = (key: keyof GatewaySettings, value: string | number | undefined) => {
    const next: GatewaySettings = { ...gateway, [key]: value };
    // A setting back at the profile's default is no change.
    if (value === undefined || (base && base[key as keyof GatewayProfile] === value)) delete next[key];
    setGateway(next);
  };
  const num = (key: 'bufferLimitBytes' | 'workers' | 'routeTimeoutMs', raw: string) => patch(key, raw === '' ? undefined : Math.max(0, Math.floor(Number(raw))));
  return (
    <details className="gateway" data-testid="gateway-panel">
      <summary className="small">
        Gateway{' '}
        <span className="muted">
          {shown ? gatewaySummary(shown) : gateway.profile}
          {gateway.upstream && ` · route → ${gateway.upstream}`}
        </span>
      </summary>
      <p className="muted small">
        The playground fails where this gateway fails: a body buffered over the limit gets 413/500, a stale <code>content-length</code> cuts the body, a callout to
        an undeclared service fails, a crashed VM answers 503 and is rebuilt. Each exchange notes what the gateway did and how to fix it.
      </p>
      <div className="gateway-settings" role="group" aria-label="Gateway settings">
        <label title="The route's upstream: httpbin, or an LLM provider declared in Services (the playground's OpenAI-compatible stand-in)">
          Route goes to
          <select aria-label="Route goes to" value={gateway.upstream ?? ''} onChange={(e) => patch('upstream', e.target.value || undefined)}>
            <option value="">httpbin</option>
            {llms.map((name) => (
              <option key={name} value={name}>
                {name} (LLM)
              </option>
            ))}
          </select>
        </label>
        <label title="higress: the Higress 2.x gateway; envoy: the guide's standalone envoy.yaml with Envoy's defaults">
          Profile
          <select aria-label="Gateway profile" value={gateway.profile} onChange={(e) => setGateway({ profile: e.target.value as GatewaySettings['profile'] })}>
            {(profiles ?? [{ name: 'higress' }, { name: 'envoy' }]).map((p) => (
              <option key={p.name} value={p.name} title={'description' in p ? p.description : undefined}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label title="per_connection_buffer_limit_bytes: what a plugin may buffer per stream before the gateway answers 413 (request) or 500 (response)">
          Buffer limit (bytes)
          <input aria-label="Buffer limit" type="number" min={1} value={gateway.bufferLimitBytes ?? ''} placeholder={String(base?.bufferLimitBytes ?? '')} onChange={(e) => num('bufferLimitBytes', e.target.value)} />
        </label>
        <label title="Worker threads, each with its own plugin VM: Go globals are per worker; shared data is shared">
          Workers
          <input aria-label="Workers" type="number" min={1} max={8} value={gateway.workers ?? ''} placeholder={String(base?.workers ?? '')} onChange={(e) => num('workers', e.target.value)} />
        </label>
        <label title="FAIL_CLOSE: a failed VM answers 503; FAIL_OPEN: requests skip the plugin">
          Fail strategy
          <select aria-label="Fail strategy" value={gateway.failStrategy ?? base?.failStrategy ?? 'FAIL_CLOSE'} onChange={(e) => patch('failStrategy', e.target.value)}>
            <option>FAIL_CLOSE</option>
            <option>FAIL_OPEN</option>
          </select>
        </label>
        <label title="The route timeout in ms (0: none, as Higress routes have); sent upstream as x-envoy-expected-rq-timeout-ms">
          Route timeout (ms)
          <input aria-label="Route timeout" type="number" min={0} value={gateway.routeTimeoutMs ?? ''} placeholder={String(base?.routeTimeoutMs ?? '')} onChange={(e) => num('routeTimeoutMs', e.target.value)} />
        </label>
      </div>
      {live && shown && gatewaySummary(live) !== gatewaySummary(shown) && <p className="muted small">The running session uses {gatewaySummary(live)}; Run starts a new one.</p>}
    </details>
  );
}
