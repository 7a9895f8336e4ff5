// Gateway profiles: the settings in which the Higress gateway (as the Higress control plane
// configures its Envoy) and the Higress guide's standalone envoy.yaml differ. Both run the Higress fork
// of Envoy (higress-group/envoy), so the fork's own behaviour (its extra headers, VM recovery) is
// the same in both; what changes is configuration.
export type ProfileName = 'higress' | 'envoy';
export type FailStrategy = 'FAIL_CLOSE' | 'FAIL_OPEN';

export interface GatewayProfile {
  name: ProfileName;
  /**
   * Bytes a filter may buffer per stream before Envoy answers 413 (request) or 500 (response):
   * the listener's per_connection_buffer_limit_bytes, which seeds the stream's buffer limit
   * (ENVOY http/filter_manager.cc createBuffer -> setWatermarks(buffer_limit_)).
   */
  bufferLimitBytes: number;
  /** Worker threads, each with its own plugin VM (CPPH wasm.cc getOrCreateThreadLocalWasm). */
  workers: number;
  /** What a failed VM means for requests: 503 (FAIL_CLOSE) or the filter skipped (FAIL_OPEN). */
  failStrategy: FailStrategy;
  /** The route's timeout (0: none), also sent upstream as x-envoy-expected-rq-timeout-ms. */
  routeTimeoutMs: number;
  /** The HCM's stream idle timeout: a stream with no activity for this long gets 408 (or a reset). */
  streamIdleTimeoutMs: number;
  /** scheme_header_transformation.scheme_to_overwrite (the Higress guide's envoy.yaml sets https). */
  schemeOverwrite?: string;
  /** HCM use_remote_address: the gateway appends the peer to x-forwarded-for. */
  useRemoteAddress: boolean;
  /** HCM xff_num_trusted_hops: how many x-forwarded-for entries from the right are trusted. */
  xffNumTrustedHops: number;
  /** How the gateway was configured, in a sentence, for the UI. */
  description: string;
}

/** The settings a session may change. */
export interface ProfileOverrides {
  bufferLimitBytes?: number;
  workers?: number;
  failStrategy?: FailStrategy;
  routeTimeoutMs?: number;
}

export const PROFILES: Record<ProfileName, GatewayProfile> = {
  // Higress 2.x as its controller configures Envoy: helm values.yaml `downstream.connectionBufferLimits`
  // 32768 (pkg/ingress/kube/configmap/global.go constructBufferLimit), `routeTimeout: 0`
  // (constructRouteTimeout), `downstream.idleTimeout` 180 s (constructDownstream), WasmPlugin
  // failStrategy FAIL_CLOSE by default, the gateway's two worker threads (its default 2-CPU limit).
  higress: {
    name: 'higress',
    bufferLimitBytes: 32 * 1024,
    workers: 2,
    failStrategy: 'FAIL_CLOSE',
    routeTimeoutMs: 0,
    streamIdleTimeoutMs: 180_000,
    useRemoteAddress: true,
    xffNumTrustedHops: 0,
    description: 'the Higress 2.x gateway: 32 KiB buffer limit, no route timeout, FAIL_CLOSE with VM recovery, 2 worker VMs',
  },
  // The Higress guide's standalone envoy.yaml: Envoy's defaults (1 MiB connection buffer limit, 15 s
  // route timeout, 5 min stream idle timeout, use_remote_address false) and scheme_to_overwrite https.
  envoy: {
    name: 'envoy',
    bufferLimitBytes: 1024 * 1024,
    workers: 1,
    failStrategy: 'FAIL_CLOSE',
    routeTimeoutMs: 15_000,
    streamIdleTimeoutMs: 300_000,
    schemeOverwrite: 'https',
    useRemoteAddress: false,
    xffNumTrustedHops: 0,
    description: "the Higress guide's envoy.yaml: Envoy's defaults (1 MiB buffer limit, 15 s route timeout), scheme https, 1 worker VM",
  },
};

export const MAX_WORKERS = 8;

/** The profile with a session's overrides applied (validated: a bad value throws a RangeError naming it). */
export function resolveProfile(name: ProfileName = 'higress', overrides: ProfileOverrides = {}): GatewayProfile {
  const base = PROFILES[name];
  if (!base) throw new RangeError(`unknown gateway profile "${name}" (use higress or envoy)`);
  const p: GatewayProfile = { ...base };
  if (overrides.bufferLimitBytes !== undefined) {
    if (!Number.isInteger(overrides.bufferLimitBytes) || overrides.bufferLimitBytes < 1 || overrides.bufferLimitBytes > 0xffffffff) {
      throw new RangeError(`bufferLimitBytes must be an integer from 1 to 4294967295 (got ${overrides.bufferLimitBytes})`);
    }
    p.bufferLimitBytes = overrides.bufferLimitBytes;
  }
  if (overrides.workers !== undefined) {
    if (!Number.isInteger(overrides.workers) || overrides.workers < 1 || overrides.workers > MAX_WORKERS) {
      throw new RangeError(`workers must be an integer from 1 to ${MAX_WORKERS} (got ${overrides.workers})`);
    }
    p.workers = overrides.workers;
  }
  if (overrides.failStrategy !== undefined) {
    if (overrides.failStrategy !== 'FAIL_CLOSE' && overrides.failStrategy !== 'FAIL_OPEN') {
      throw new RangeError(`failStrategy must be FAIL_CLOSE or FAIL_OPEN (got ${String(overrides.failStrategy)})`);
    }
    p.failStrategy = overrides.failStrategy;
  }
  if (overrides.routeTimeoutMs !== undefined) {
    if (!Number.isInteger(overrides.routeTimeoutMs) || overrides.routeTimeoutMs < 0) {
      throw new RangeError(`routeTimeoutMs must be an integer >= 0 (got ${overrides.routeTimeoutMs})`);
    }
    p.routeTimeoutMs = overrides.routeTimeoutMs;
  }
  return p;
}
