import { z } from 'zod';

/** Headers are ordered `[name, value]` pairs: order and repeats matter in HTTP. */
export const HeaderList = z.array(z.tuple([z.string(), z.string()]));
export type HeaderList = z.infer<typeof HeaderList>;

/** A body is UTF-8 text, or `{base64}` when it is binary. */
export const Body = z.union([
  z.string(),
  z.object({ base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64 (A-Z, a-z, 0-9, +, /, = padding)') }).strict(),
]);
export type Body = z.infer<typeof Body>;

/** An IPv4 or IPv6 address, with an optional port (`192.168.1.7`, `10.0.0.2:51000`, `[2001:db8::1]:443`). */
const ClientAddress = z
  .string()
  .max(64)
  .regex(/^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-fA-F:.]+\](:\d{1,5})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/, 'must be an IP address, optionally with :port');

/** A piece of a body a client sends, after a pause: a slow upload or a streaming client. */
export const BodyChunk = z.object({ body: Body, delayMs: z.number().int().min(0).max(10_000).default(0) }).strict();
export type BodyChunk = z.infer<typeof BodyChunk>;

export const HttpRequestMessage = z.object({
  method: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z]+$/, 'method must be letters only')
    .refine((m) => m.toUpperCase() !== 'CONNECT', 'CONNECT asks for a tunnel, which the gateway route cannot carry'),
  path: z.string().min(1).max(8192).startsWith('/', 'path must start with "/"'),
  headers: HeaderList.default([]),
  body: Body.default(''),
  /** When set, the body is sent in these chunks, each after its delay (and `body` is ignored). */
  bodyChunks: z.array(BodyChunk).max(64).optional(),
  /** The client's address as the gateway sees it (`source.address`); default loopback. */
  clientAddress: ClientAddress.optional(),
  /** The gateway route the request matched (`route_name`), for `_rules_`; default `playground-route`. */
  route: z.string().max(256).optional(),
  /** The upstream service (`fqdn` or `fqdn:port`), reported as `cluster_name`, for `_rules_`. */
  service: z.string().max(256).optional(),
});
export type HttpRequestMessage = z.infer<typeof HttpRequestMessage>;

export const HttpResponseMessage = z.object({
  status: z.number().int(),
  headers: HeaderList,
  body: Body,
});
export type HttpResponseMessage = z.infer<typeof HttpResponseMessage>;

/** Decodes a message body to bytes. */
export function bodyBytes(body: Body): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  const bin = atob(body.base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Encodes bytes as a message body: text when valid UTF-8, else base64. */
export function bytesToBody(bytes: Uint8Array): Body {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let bin = '';
    for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return { base64: btoa(bin) };
  }
}
