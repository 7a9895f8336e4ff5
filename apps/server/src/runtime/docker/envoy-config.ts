import yaml from 'js-yaml';
import { resolveProfile } from '@playground/proxy-wasm-host';
import { clusterNameFor, GATEWAY_DEFAULTS, type GatewayProfile } from '@playground/shared';

/** Where things live inside the gateway container, as in the Higress guide's docker-compose file. */
export const GATEWAY_PATHS = { envoyYaml: '/etc/envoy/envoy.yaml', wasm: '/etc/envoy/main.wasm' } as const;
export const LISTENER_PORT = 10000;
export const ADMIN_PORT = 9901;

/**
 * The route and cluster names a Higress gateway would give the playground's single route to httpbin,
 * the same ones the embedded runtime reports, so `_match_route_` / `_match_service_` rules pick the
 * same config in both runtimes.
 */
export const ROUTE_NAME = GATEWAY_DEFAULTS.route;
export const HTTPBIN_CLUSTER = clusterNameFor(GATEWAY_DEFAULTS.service);

export interface EnvoyConfigOptions {
  /** The plugin configuration JSON ('' for none), handed to the plugin byte for byte. */
  configJson: string;
  /** The httpbin container's name on the session network, and its port. */
  httpbinHost: string;
  httpbinPort: number;
  /** The filter name Envoy prints in front of every plugin log line (`wasm log <name>: ...`). */
  filterName?: string;
  /** The gateway settings to write down; default the guide's envoy.yaml (the `envoy` profile). */
  gateway?: GatewayProfile;
}

const seconds = (ms: number) => `${ms / 1000}s`;

/**
 * The Higress guide's envoy.yaml as an object: admin, one listener with the http_connection_manager, the
 * wasm filter (V8, the session's main.wasm, the config as a StringValue) before the router, and the
 * httpbin cluster.
 */
export function envoyConfigObject(opts: EnvoyConfigOptions): Record<string, unknown> {
  const filterName = opts.filterName ?? 'playground-plugin';
  const g = opts.gateway ?? resolveProfile('envoy');
  const wasmConfig: Record<string, unknown> = {
    name: filterName,
    fail_open: g.failStrategy === 'FAIL_OPEN',
    vm_config: {
      runtime: 'envoy.wasm.runtime.v8',
      code: { local: { filename: GATEWAY_PATHS.wasm } },
    },
  };
  // An empty config is no configuration at all, as the embedded runtime passes it.
  if (opts.configJson) {
    wasmConfig.configuration = { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: opts.configJson };
  }
  const socket = (address: string, port: number) => ({ socket_address: { protocol: 'TCP', address, port_value: port } });
  return {
    admin: { address: socket('0.0.0.0', ADMIN_PORT) },
    static_resources: {
      listeners: [
        {
          name: 'listener_0',
          address: socket('0.0.0.0', LISTENER_PORT),
          // The stream buffer limit a plugin's buffered body is held to (413 / 500 above it).
          per_connection_buffer_limit_bytes: g.bufferLimitBytes,
          filter_chains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    ...(g.schemeOverwrite ? { scheme_header_transformation: { scheme_to_overwrite: g.schemeOverwrite } } : {}),
                    stat_prefix: 'ingress_http',
                    use_remote_address: g.useRemoteAddress,
                    ...(g.xffNumTrustedHops ? { xff_num_trusted_hops: g.xffNumTrustedHops } : {}),
                    stream_idle_timeout: seconds(g.streamIdleTimeoutMs),
                    route_config: {
                      name: 'local_route',
                      virtual_hosts: [
                        {
                          name: 'local_service',
                          domains: ['*'],
                          // 0s: no route timeout, as Higress routes have by default.
                          routes: [{ name: ROUTE_NAME, match: { prefix: '/' }, route: { cluster: HTTPBIN_CLUSTER, timeout: seconds(g.routeTimeoutMs) } }],
                        },
                      ],
                    },
                    http_filters: [
                      {
                        name: filterName,
                        typed_config: {
                          '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
                          type_url: 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm',
                          value: { config: wasmConfig },
                        },
                      },
                      {
                        name: 'envoy.filters.http.router',
                        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        {
          name: HTTPBIN_CLUSTER,
          connect_timeout: '30s',
          type: 'LOGICAL_DNS',
          dns_lookup_family: 'V4_ONLY',
          lb_policy: 'ROUND_ROBIN',
          load_assignment: {
            cluster_name: HTTPBIN_CLUSTER,
            endpoints: [{ lb_endpoints: [{ endpoint: { address: socket(opts.httpbinHost, opts.httpbinPort) } }] }],
          },
        },
      ],
    },
  };
}

/** The envoy.yaml text the gateway container reads. */
export function envoyYaml(opts: EnvoyConfigOptions): string {
  // No line folding: the config JSON must reach the plugin exactly as written.
  return yaml.dump(envoyConfigObject(opts), { lineWidth: -1, noRefs: true });
}
