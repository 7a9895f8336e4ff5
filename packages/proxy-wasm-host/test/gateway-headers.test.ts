// src/gateway-headers.ts: the HCM's request mutations (E127 http/conn_manager_utility.cc
// ConnectionManagerUtility::mutateRequestHeaders), the router's headers and local reply headers
// (http/utility.cc Utility::prepareLocalReply).
import { describe, expect, it } from 'vitest';
import { isInternalAddress, localReplyHeaders, mutateRequestHeaders, routerRequestHeaders } from '../src/gateway-headers.js';
import { resolveProfile } from '../src/index.js';
import { header } from './support/harness.js';

const pseudo = { authority: 'api.example.com', path: '/x', method: 'GET', scheme: 'http' };
const conn = (remoteAddress: string) => ({ remoteAddress, localAddress: '10.0.0.10:80', ssl: false });

describe('mutateRequestHeaders', () => {
  it('higress (use_remote_address, no trusted hops): appends the peer to x-forwarded-for and trusts nothing it sent', () => {
    const r = mutateRequestHeaders(pseudo, [['x-forwarded-for', '1.2.3.4'], ['x-forwarded-proto', 'https'], ['x-envoy-retry-on', '5xx']], conn('203.0.113.9:555'), resolveProfile('higress'));
    expect(header(r.headers, 'x-forwarded-for')).toBe('1.2.3.4,203.0.113.9');
    expect(header(r.headers, 'x-forwarded-proto')).toBe('http');
    expect(header(r.headers, 'x-envoy-retry-on')).toBeUndefined();
    expect(header(r.headers, 'x-envoy-external-address')).toBe('203.0.113.9');
    expect(r.sourceAddress).toBe('203.0.113.9:555');
  });

  it('a loopback peer appends the gateway\'s own address; with no x-forwarded-for from the client the request is internal', () => {
    const r = mutateRequestHeaders(pseudo, [['x-request-id', 'mine']], conn('127.0.0.1:5000'), resolveProfile('higress'));
    expect(header(r.headers, 'x-forwarded-for')).toBe('10.0.0.10');
    expect(header(r.headers, 'x-envoy-internal')).toBe('true');
    expect(r.requestId).toBe('mine');
  });

  it('envoy profile (use_remote_address false): the client address comes from x-forwarded-for, nothing is appended, scheme is https', () => {
    const r = mutateRequestHeaders(pseudo, [['x-forwarded-for', '198.51.100.7']], conn('172.18.0.1:4000'), resolveProfile('envoy'));
    expect(header(r.headers, 'x-forwarded-for')).toBe('198.51.100.7');
    expect(header(r.headers, ':scheme')).toBe('https');
    expect(r.sourceAddress).toBe('198.51.100.7:0');
  });

  it('removes hop-by-hop headers, but keeps an upgrade\'s connection and upgrade', () => {
    const plain = mutateRequestHeaders(pseudo, [['connection', 'close'], ['transfer-encoding', 'chunked'], ['proxy-connection', 'x'], ['upgrade', 'h2c']], conn('10.0.0.1:1'), resolveProfile('higress'));
    expect(plain.headers.map(([k]) => k)).not.toEqual(expect.arrayContaining(['connection', 'transfer-encoding', 'proxy-connection', 'upgrade']));
    const ws = mutateRequestHeaders(pseudo, [['connection', 'Upgrade'], ['upgrade', 'websocket']], conn('10.0.0.1:1'), resolveProfile('higress'));
    expect(header(ws.headers, 'upgrade')).toBe('websocket');
  });

  it('isInternalAddress: RFC1918, 127.0.0.1 and fd00::/8', () => {
    expect(['10.1.1.1', '172.16.0.1', '192.168.0.9', '127.0.0.1', 'fd00::1'].every(isInternalAddress)).toBe(true);
    expect(['172.32.0.1', '8.8.8.8', '127.0.0.2', '2001:db8::1'].some(isInternalAddress)).toBe(false);
  });
});

describe('router and local reply headers', () => {
  it('x-envoy-expected-rq-timeout-ms only when the route has a timeout (Router setTimeoutHeaders)', () => {
    expect(header(routerRequestHeaders([], resolveProfile('higress'), 1), 'x-envoy-expected-rq-timeout-ms')).toBeUndefined();
    expect(header(routerRequestHeaders([], resolveProfile('envoy'), 1), 'x-envoy-expected-rq-timeout-ms')).toBe('15000');
  });

  it('prepareLocalReply: text/plain and a length for a body; an empty body drops both, even the plugin\'s', () => {
    expect(localReplyHeaders(200, new Uint8Array(2), [])).toEqual([[':status', '200'], ['content-length', '2'], ['content-type', 'text/plain']]);
    expect(localReplyHeaders(403, new Uint8Array(0), [['content-type', 'application/json'], ['x-a', '1']])).toEqual([[':status', '403'], ['x-a', '1']]);
  });
});
