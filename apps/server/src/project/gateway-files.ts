import { resolveProfile } from '@playground/proxy-wasm-host';
import { bodyBytes, type GatewayProfile, type GatewaySettings, type SavedRequest } from '@playground/shared';
import { dockerSettings } from '../runtime/docker/engine.js';
import { envoyYaml, GATEWAY_PATHS, LISTENER_PORT } from '../runtime/docker/envoy-config.js';

/** The scenario's gateway settings, resolved (default: the Higress profile, as in the playground). */
export function bundleGateway(g: GatewaySettings | undefined): GatewayProfile {
  const { profile, ...overrides } = g ?? { profile: 'higress' as const };
  return resolveProfile(profile, overrides);
}

/**
 * The seed's envoy.yaml for this plugin and config: Envoy on :10000 in front of httpbin, with the
 * session's gateway settings (buffer limit, route and idle timeouts, fail_open, x-forwarded-for).
 */
export function bundleEnvoyYaml(configJson: string, gateway: GatewayProfile): string {
  const settings = dockerSettings();
  return envoyYaml({ configJson, httpbinHost: 'httpbin', httpbinPort: settings.httpbinPort, gateway });
}

/** The seed's docker-compose.yaml: the Higress gateway running Envoy with wasm debug logs and the session's workers, and httpbin. */
export function bundleCompose(gateway: GatewayProfile): string {
  const s = dockerSettings();
  return `# Starts the Higress gateway (Envoy) with this plugin in front of httpbin, as in the Higress guide.
# Build main.wasm first (see README.md), then: docker compose up
services:
  envoy:
    image: ${s.gatewayImage}
    entrypoint: /usr/local/bin/envoy
    # wasm:debug shows the plugin's debug logs; gateways run at info by default.
    command: -c ${GATEWAY_PATHS.envoyYaml} --component-log-level wasm:debug --concurrency ${gateway.workers}
    depends_on:
      - httpbin
    networks:
      - wasmtest
    ports:
      - "${LISTENER_PORT}:${LISTENER_PORT}"
    volumes:
      - ./envoy.yaml:${GATEWAY_PATHS.envoyYaml}
      - ./main.wasm:${GATEWAY_PATHS.wasm}
  httpbin:
    image: ${s.httpbinImage}
    networks:
      - wasmtest
    ports:
      - "12345:${s.httpbinPort}"
networks:
  wasmtest: {}
`;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The scenario's requests as curl commands against the gateway of docker-compose.yaml. */
export function bundleCurlScript(requests: SavedRequest[]): string {
  const lines = ['#!/bin/sh', '# The scenario\'s requests, sent to the gateway started by `docker compose up`.', 'set -x', ''];
  for (const r of requests) {
    const parts = ['curl', '-sS', '-i', '-X', r.method.toUpperCase()];
    for (const [k, v] of r.headers) parts.push('-H', shellQuote(`${k}: ${v}`));
    const body = new TextDecoder().decode(bodyBytes(r.body));
    if (body) parts.push('--data-binary', shellQuote(body));
    parts.push(shellQuote(`http://127.0.0.1:${LISTENER_PORT}${r.path}`));
    if (r.name) lines.push(`# ${r.name.replace(/\n/g, ' ')}`);
    lines.push(parts.join(' '), '');
  }
  return lines.join('\n');
}
