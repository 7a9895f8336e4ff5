import type { RequestHandler } from 'express';
import { stringSetting } from '../settings.js';

/**
 * What the page may load: its own origin only (scripts, Monaco's workers, the API), styles from the
 * origin plus the inline ones Monaco sets, no framing by other sites.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** The headers a public site needs, on every answer (the page, its assets and the API). */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  next();
};

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** The host names clients may use: loopback names, PLAYGROUND_ALLOWED_HOSTS and PLAYGROUND_PUBLIC_URL's host. */
export function allowedHostNames(): string[] {
  const extra = (stringSetting('PLAYGROUND_ALLOWED_HOSTS') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const pub = stringSetting('PLAYGROUND_PUBLIC_URL');
  return [...LOOPBACK, ...extra, ...(pub ? [new URL(pub).hostname.toLowerCase()] : [])];
}

/**
 * Refuses requests whose Host is not one the server answers to: a page on another site that
 * rebinds its DNS name to 127.0.0.1 then reaches the playground under its own name, and is refused.
 */
export function hostAllowList(): RequestHandler {
  const allowed = new Set(allowedHostNames());
  return (req, res, next) => {
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (allowed.has(host) || allowed.has('*')) return next();
    res.status(421).type('text/plain').send(`this playground does not answer to the host "${host}"; its operator can allow it with PLAYGROUND_ALLOWED_HOSTS\n`);
  };
}
