// The ready-to-copy curl command for a request against a session's gateway.
import type { HttpRequestMessage } from '../api/types';

/** Quotes a word for a POSIX shell. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where a curl command reaches a session's gateway: `/gw/{id}` on the page's own origin
 * (`gatewayPath`), which works wherever the page does, even when the session's own listener
 * (`gatewayUrl`) is a loopback address on the server's machine. A server without `gatewayPath`:
 * its `gatewayUrl`, made absolute against the origin when it is a path.
 */
export function gatewayBase(session: { gatewayUrl: string; gatewayPath?: string }, origin: string): string {
  const at = (p: string) => `${origin.replace(/\/+$/, '')}${p.startsWith('/') ? '' : '/'}${p}`;
  if (session.gatewayPath) return at(session.gatewayPath);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(session.gatewayUrl) ? session.gatewayUrl : at(session.gatewayUrl);
}

export function curlLine(gatewayUrl: string, req: Pick<HttpRequestMessage, 'method' | 'path' | 'headers' | 'body'>): string {
  const base = gatewayUrl.replace(/\/+$/, '');
  const parts = ['curl', '-i'];
  const method = req.method.toUpperCase();
  const body = typeof req.body === 'string' ? req.body : '';
  const binary = typeof req.body === 'object' && req.body !== null;
  if (method !== 'GET' || body) parts.push('-X', method);
  parts.push(shellQuote(base + req.path));
  for (const [name, value] of req.headers ?? []) {
    if (!name.trim()) continue;
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (body) parts.push('--data-raw', shellQuote(body));
  if (binary) parts.push('--data-binary', '@body.bin');
  return parts.join(' ');
}
