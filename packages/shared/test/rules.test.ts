import { describe, expect, it } from 'vitest';
import { clusterNameFor, explainConfigMatch } from '../src/rules.js';

const base = { host: 'api.example.com:8080', route: 'playground-route', cluster: 'outbound|80||httpbin.playground.svc.cluster.local' };

describe('explainConfigMatch (wasm-go rule matcher semantics)', () => {
  const config = {
    mockEnable: false,
    _rules_: [
      { _match_route_: ['vip'], mockEnable: true },
      { _match_domain_: ['*.example.com'], mockEnable: true },
      { _match_service_: ['httpbin.playground.svc.cluster.local:80'], mockEnable: true },
      { _match_route_prefix_: ['ai-'], mockEnable: true },
    ],
  };

  it('takes the first rule that matches, in order', () => {
    expect(explainConfigMatch(config, { ...base, route: 'vip' }).applied).toBe('rule 1');
    expect(explainConfigMatch(config, base)).toMatchObject({ applied: 'rule 2', reason: expect.stringContaining('"api.example.com" matches "*.example.com"') });
    expect(explainConfigMatch(config, { ...base, host: 'other.org' }).applied).toBe('rule 3');
    expect(explainConfigMatch(config, { ...base, host: 'other.org', cluster: 'outbound|80||x', route: 'ai-chat' }).applied).toBe('rule 4');
  });

  it('falls back to the global config, or to none without one', () => {
    const r = explainConfigMatch(config, { host: 'other.org', route: 'r', cluster: 'outbound|80||x' });
    expect(r).toMatchObject({ applied: 'global', reason: expect.stringContaining('no rule of 4 matched') });
    expect(explainConfigMatch({ _rules_: [{ _match_route_: ['vip'], a: 1 }] }, base).applied).toBe('none');
    expect(explainConfigMatch({}, base).applied).toBe('global');
  });

  it('ignores _match_domain_ when a rule has _match_route_, as wasm-go does', () => {
    const c = { _rules_: [{ _match_route_: ['vip'], _match_domain_: ['api.example.com'], a: 1 }] };
    expect(explainConfigMatch(c, base).applied).toBe('none');
  });

  it('matches services with and without a port, and routes with services together', () => {
    const c = { _rules_: [{ _match_route_: ['r'], _match_service_: ['svc.ns.svc.cluster.local'], a: 1 }] };
    expect(explainConfigMatch(c, { host: 'h', route: 'r', cluster: clusterNameFor('svc.ns.svc.cluster.local:8080') }).applied).toBe('rule 1');
    expect(explainConfigMatch(c, { host: 'h', route: 'other', cluster: clusterNameFor('svc.ns.svc.cluster.local') }).applied).toBe('none');
  });

  it('spells cluster names as a Higress gateway does', () => {
    expect(clusterNameFor('a.b:9090')).toBe('outbound|9090||a.b');
    expect(clusterNameFor('a.b')).toBe('outbound|80||a.b');
  });
});
