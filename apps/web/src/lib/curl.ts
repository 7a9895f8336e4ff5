// The ready-to-copy curl command for a request against a session's gateway.
import type { HttpRequestMessage } from '../api/types';

/** Quotes a word for a POSIX shell. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
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
