import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { yamlToConfigJson } from '@playground/shared';
import { ADMIN_PORT, envoyYaml, GATEWAY_PATHS, HTTPBIN_CLUSTER, LISTENER_PORT, ROUTE_NAME } from '../src/runtime/docker/envoy-config.js';
import { resolveProfile } from '@playground/proxy-wasm-host';
import { gatewayCommand, GATEWAY_ENTRYPOINT } from '../src/runtime/docker/docker-runtime.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests walk a parsed Envoy config
type Any = any;

/** Generates envoy.yaml for a console YAML config and parses it back, as Envoy would read it. */
function generate(consoleYaml: string): { doc: Any; text: string; configJson: string } {
  const conv = yamlToConfigJson(consoleYaml);
  if (!conv.ok) throw new Error(conv.error);
  const text = envoyYaml({ configJson: conv.json, httpbinHost: 'httpbin', httpbinPort: 80 });
  return { doc: yaml.load(text), text, configJson: conv.json };
}

const hcm = (doc: Any) => doc.static_resources.listeners[0].filter_chains[0].filters[0];
const wasmFilter = (doc: Any) => hcm(doc).typed_config.http_filters[0];

describe('envoy.yaml generation', () => {
  it("has the Higress guide's structure: admin, listener, http_connection_manager, wasm filter, router, httpbin cluster", () => {
    const { doc } = generate('mockEnable: false\n');
    expect(doc.admin.address.socket_address).toEqual({ protocol: 'TCP', address: '0.0.0.0', port_value: ADMIN_PORT });
    const listener = doc.static_resources.listeners[0];
    expect(listener.address.socket_address).toEqual({ protocol: 'TCP', address: '0.0.0.0', port_value: LISTENER_PORT });
    const manager = hcm(doc);
    expect(manager.name).toBe('envoy.filters.network.http_connection_manager');
    expect(manager.typed_config['@type']).toBe('type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager');
    expect(manager.typed_config.scheme_header_transformation).toEqual({ scheme_to_overwrite: 'https' });
    const vhost = manager.typed_config.route_config.virtual_hosts[0];
    expect(vhost.domains).toEqual(['*']);
    expect(vhost.routes).toEqual([{ name: ROUTE_NAME, match: { prefix: '/' }, route: { cluster: HTTPBIN_CLUSTER, timeout: '15s' } }]);

    const filters = manager.typed_config.http_filters;
    expect(filters.map((f: Any) => f.name)).toEqual(['playground-plugin', 'envoy.filters.http.router']);
    const wasm = filters[0].typed_config;
    expect(wasm['@type']).toBe('type.googleapis.com/udpa.type.v1.TypedStruct');
    expect(wasm.type_url).toBe('type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm');
    expect(wasm.value.config.vm_config).toEqual({ runtime: 'envoy.wasm.runtime.v8', code: { local: { filename: GATEWAY_PATHS.wasm } } });
    expect(filters[1].typed_config['@type']).toBe('type.googleapis.com/envoy.extensions.filters.http.router.v3.Router');

    const cluster = doc.static_resources.clusters[0];
    expect(cluster).toMatchObject({ name: HTTPBIN_CLUSTER, type: 'LOGICAL_DNS', dns_lookup_family: 'V4_ONLY', lb_policy: 'ROUND_ROBIN', connect_timeout: '30s' });
    expect(cluster.load_assignment.cluster_name).toBe(HTTPBIN_CLUSTER);
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({
      protocol: 'TCP',
      address: 'httpbin',
      port_value: 80,
    });
  });

  it('hands the config JSON to the plugin as a StringValue, byte for byte', () => {
    const { doc, configJson } = generate('mockEnable: true\n');
    const configuration = wasmFilter(doc).typed_config.value.config.configuration;
    expect(configuration['@type']).toBe('type.googleapis.com/google.protobuf.StringValue');
    expect(configuration.value).toBe(configJson);
    expect(JSON.parse(configuration.value)).toEqual({ mockEnable: true });
  });

  it('an empty config is no configuration at all', () => {
    for (const empty of ['', '# nothing here\n', '~\n']) {
      const { doc } = generate(empty);
      expect(wasmFilter(doc).typed_config.value.config).not.toHaveProperty('configuration');
      expect(wasmFilter(doc).typed_config.value.config.vm_config.runtime).toBe('envoy.wasm.runtime.v8');
    }
  });

  it('keeps nested objects, lists and odd strings intact', () => {
    const consoleYaml = [
      'limits:',
      '  perMinute: 60',
      '  burst: { size: 5, strict: true }',
      'headers:',
      '  - name: x-a',
      '    value: "quote \\" and colon: here"',
      '  - name: x-b',
      '    value: "line1\\nline2 # not a comment"',
      `long: "${'y'.repeat(300)}"`,
      'unicode: "héllo ✓"',
    ].join('\n');
    const { doc, configJson } = generate(consoleYaml);
    const value = wasmFilter(doc).typed_config.value.config.configuration.value;
    expect(value).toBe(configJson);
    expect(JSON.parse(value)).toEqual({
      limits: { perMinute: 60, burst: { size: 5, strict: true } },
      headers: [
        { name: 'x-a', value: 'quote " and colon: here' },
        { name: 'x-b', value: 'line1\nline2 # not a comment' },
      ],
      long: 'y'.repeat(300),
      unicode: 'héllo ✓',
    });
  });

  it('passes `_rules_` with `_match_route_` / `_match_domain_` through, and names the route and cluster they match', () => {
    const consoleYaml = [
      'k: 1',
      '_rules_:',
      '  - _match_route_: ["playground-route"]',
      '    k: 2',
      '  - _match_domain_: ["*.example.com", "api.*"]',
      '    k: 3',
      '  - _match_service_: ["httpbin.playground.svc.cluster.local:80"]',
      '    k: 4',
    ].join('\n');
    const { doc } = generate(consoleYaml);
    const parsed = JSON.parse(wasmFilter(doc).typed_config.value.config.configuration.value);
    expect(parsed._rules_).toEqual([
      { _match_route_: ['playground-route'], k: 2 },
      { _match_domain_: ['*.example.com', 'api.*'], k: 3 },
      { _match_service_: ['httpbin.playground.svc.cluster.local:80'], k: 4 },
    ]);
    expect(parsed.k).toBe(1);
    // wasm-go matches `_match_route_` against the route_name property and `_match_service_` against
    // the cluster name's host and port: both must be what the rules above name.
    expect(hcm(doc).typed_config.route_config.virtual_hosts[0].routes[0].name).toBe(parsed._rules_[0]._match_route_[0]);
    expect(HTTPBIN_CLUSTER.split('|')[3] + ':' + HTTPBIN_CLUSTER.split('|')[1]).toBe(parsed._rules_[2]._match_service_[0]);
  });

  it('runs Envoy as the Higress guide does, with the generated config, wasm logs at debug and the session\'s workers', () => {
    expect(GATEWAY_ENTRYPOINT).toEqual(['/usr/local/bin/envoy']);
    expect(gatewayCommand(2)).toEqual(['-c', '/etc/envoy/envoy.yaml', '--component-log-level', 'wasm:debug', '--concurrency', '2']);
    expect(GATEWAY_PATHS.envoyYaml).toBe('/etc/envoy/envoy.yaml');
  });

  it('carries the session\'s gateway settings, so the real gateway agrees with the playground', () => {
    const higress = yaml.load(envoyYaml({ configJson: '', httpbinHost: 'httpbin', httpbinPort: 80, gateway: resolveProfile('higress', { failStrategy: 'FAIL_OPEN' }) })) as Any;
    expect(higress.static_resources.listeners[0].per_connection_buffer_limit_bytes).toBe(32768);
    expect(hcm(higress).typed_config).toMatchObject({ use_remote_address: true, stream_idle_timeout: '180s' });
    expect(hcm(higress).typed_config.scheme_header_transformation).toBeUndefined();
    expect(hcm(higress).typed_config.route_config.virtual_hosts[0].routes[0].route.timeout).toBe('0s');
    expect(wasmFilter(higress).typed_config.value.config.fail_open).toBe(true);
    // Without settings: the guide's envoy.yaml, with Envoy's defaults written out.
    const { doc } = generate('k: 1\n');
    expect(doc.static_resources.listeners[0].per_connection_buffer_limit_bytes).toBe(1048576);
    expect(hcm(doc).typed_config.route_config.virtual_hosts[0].routes[0].route.timeout).toBe('15s');
  });
});
