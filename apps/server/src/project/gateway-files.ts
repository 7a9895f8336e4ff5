import { resolveProfile } from '@playground/proxy-wasm-host';
import { bodyBytes, type GatewayProfile, type GatewaySettings, type SavedRequest } from '@playground/shared';
import { dockerSettings } from '../runtime/docker/engine.js';
import { envoyYaml, GATEWAY_PATHS, LISTENER_PORT } from '../runtime/docker/envoy-config.js';
import { commentText, shellPrintfFormat, shellQuote, shellWord, yamlQuote } from './quote.js';

/** The scenario's gateway settings, resolved (default: the Higress profile, as in the playground). */
export function bundleGateway(g: GatewaySettings | undefined): GatewayProfile {
  const { profile, ...overrides } = g ?? { profile: 'higress' as const };
  return resolveProfile(profile, overrides);
}

/**
 * The Higress guide's envoy.yaml for this plugin and config: Envoy on :10000 in front of httpbin, with the
 * session's gateway settings (buffer limit, route and idle timeouts, fail_open, x-forwarded-for).
 */
export function bundleEnvoyYaml(configJson: string, gateway: GatewayProfile): string {
  const settings = dockerSettings();
  return envoyYaml({ configJson, httpbinHost: 'httpbin', httpbinPort: settings.httpbinPort, gateway });
}

/** The Higress guide's docker-compose.yaml: the Higress gateway running Envoy with wasm debug logs and the session's workers, and httpbin. */
export function bundleCompose(gateway: GatewayProfile): string {
  const s = dockerSettings();
  const q = yamlQuote;
  return `# Starts the Higress gateway (Envoy) with this plugin in front of httpbin, as in the Higress guide.
# Build main.wasm first (see README.md), then: docker compose up
services:
  envoy:
    image: ${q(s.gatewayImage)}
    entrypoint: /usr/local/bin/envoy
    # wasm:debug shows the plugin's debug logs; gateways run at info by default.
    command: ${q(`-c ${GATEWAY_PATHS.envoyYaml} --component-log-level wasm:debug --concurrency ${gateway.workers}`)}
    depends_on:
      - httpbin
    networks:
      - wasmtest
    ports:
      - ${q(`${LISTENER_PORT}:${LISTENER_PORT}`)}
    volumes:
      - ${q(`./envoy.yaml:${GATEWAY_PATHS.envoyYaml}`)}
      - ${q(`./main.wasm:${GATEWAY_PATHS.wasm}`)}
  httpbin:
    image: ${q(s.httpbinImage)}
    networks:
      - wasmtest
    ports:
      - ${q(`12345:${s.httpbinPort}`)}
networks:
  wasmtest: {}
`;
}

/**
 * The scenario's requests as curl commands against the gateway of docker-compose.yaml. Every word
 * from the scenario is single-quoted; a body goes as --data-raw (no `@file` reading), or through
 * printf when it holds bytes no shell word can (NUL, not UTF-8); a path with `[]{}` turns curl's
 * URL globbing off; an empty header value is sent as `name;` (curl drops `name:`).
 */
export function bundleCurlScript(requests: SavedRequest[]): string {
  const lines = ['#!/bin/sh', '# The scenario\'s requests, sent to the gateway started by `docker compose up`.', 'set -x', ''];
  for (const [i, r] of requests.entries()) {
    if (r.name) lines.push(`# ${commentText(r.name)}`);
    try {
      lines.push(curlCommand(r), '');
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      lines.push(`# request ${i + 1} is left out: its path or a header holds a NUL byte, which no command line can pass to curl`, '');
    }
  }
  return lines.join('\n');
}

function curlCommand(r: SavedRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', shellWord(r.method.toUpperCase())];
  for (const [k, v] of r.headers) parts.push('-H', shellQuote(/^[ \t]*$/.test(v) ? `${k};` : `${k}: ${v}`));
  const body = bodyBytes(r.body);
  let stdin = '';
  if (body.length) {
    const text = utf8Text(body);
    if (text === null || text.includes('\0')) {
      stdin = `printf ${shellPrintfFormat(body)} | `;
      parts.push('--data-binary', '@-');
    } else {
      parts.push('--data-raw', shellQuote(text));
    }
  }
  if (/[[\]{}]/.test(r.path)) parts.push('--globoff');
  parts.push(shellQuote(`http://127.0.0.1:${LISTENER_PORT}${r.path}`));
  return stdin + parts.join(' ');
}

/** The bytes as text when they are UTF-8, else null. */
function utf8Text(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
