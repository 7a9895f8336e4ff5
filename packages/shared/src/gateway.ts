import { z } from 'zod';

/**
 * The gateway a session reproduces: `higress` (the Higress 2.x gateway as its controller configures
 * Envoy) or `envoy` (the guide's standalone envoy.yaml with Envoy's defaults). A session may change
 * the few settings in which they differ; the defaults come from the server (`/api/health`).
 */
export const GatewayProfileName = z.enum(['higress', 'envoy']);
export type GatewayProfileName = z.infer<typeof GatewayProfileName>;

export const FailStrategy = z.enum(['FAIL_CLOSE', 'FAIL_OPEN']);
export type FailStrategy = z.infer<typeof FailStrategy>;

export const GatewaySettings = z
  .object({
    profile: GatewayProfileName.default('higress'),
    /** Bytes a plugin may buffer per stream before the gateway answers 413 / 500. */
    bufferLimitBytes: z.number().int().min(1).max(0xffffffff).optional(),
    /** Worker threads, each with its own plugin VM. */
    workers: z.number().int().min(1).max(8).optional(),
    failStrategy: FailStrategy.optional(),
    /** The route timeout in ms (0: none). */
    routeTimeoutMs: z.number().int().min(0).max(3_600_000).optional(),
    /** Where the route sends requests: httpbin (default) or a declared `llm` service. */
    upstream: z.string().min(1).max(200).optional(),
  })
  .strict();
export type GatewaySettings = z.infer<typeof GatewaySettings>;

/** A profile with every setting resolved. */
export const GatewayProfile = z.object({
  name: GatewayProfileName,
  bufferLimitBytes: z.number(),
  workers: z.number(),
  failStrategy: FailStrategy,
  routeTimeoutMs: z.number(),
  streamIdleTimeoutMs: z.number(),
  schemeOverwrite: z.string().optional(),
  useRemoteAddress: z.boolean(),
  xffNumTrustedHops: z.number(),
  description: z.string(),
});
export type GatewayProfile = z.infer<typeof GatewayProfile>;

/**
 * Headers the gateway itself adds or rewrites around a plugin (the HCM's x-forwarded-*, request id
 * and original host; the router's timing and timeout headers), so a diff can tell them from the
 * plugin's own changes.
 */
export const GATEWAY_HEADERS: readonly string[] = [
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-envoy-internal',
  'x-envoy-external-address',
  'x-envoy-original-host',
  'x-request-id',
  'x-envoy-expected-rq-timeout-ms',
  'x-envoy-route-identifier',
  'req-start-time',
  'x-envoy-upstream-service-time',
  'req-cost-time',
  'req-arrive-time',
  'resp-start-time',
];

/** Something the plugin did that fails in the gateway or works here only by luck, or a bound of the playground. */
export const HostNote = z.object({
  code: z.string(),
  message: z.string(),
  fix: z.string().optional(),
});
export type HostNote = z.infer<typeof HostNote>;
