// src/profile.ts: the two gateway profiles and per-session overrides.
import { describe, expect, it } from 'vitest';
import { PROFILES, resolveProfile } from '../src/index.js';

describe('gateway profiles', () => {
  it('higress: 32 KiB buffer limit, no route timeout, FAIL_CLOSE, two workers; envoy: Envoy defaults', () => {
    expect(PROFILES.higress).toMatchObject({ bufferLimitBytes: 32768, routeTimeoutMs: 0, failStrategy: 'FAIL_CLOSE', workers: 2, useRemoteAddress: true });
    expect(PROFILES.envoy).toMatchObject({ bufferLimitBytes: 1048576, routeTimeoutMs: 15000, schemeOverwrite: 'https', useRemoteAddress: false });
  });

  it('overrides change only what they name, and a bad value says which setting', () => {
    expect(resolveProfile('higress', { workers: 4 })).toMatchObject({ workers: 4, bufferLimitBytes: 32768 });
    expect(() => resolveProfile('higress', { workers: 0 })).toThrow(/workers must be an integer from 1 to 8/);
    expect(() => resolveProfile('higress', { bufferLimitBytes: -1 })).toThrow(/bufferLimitBytes/);
    expect(() => resolveProfile('nope' as 'higress')).toThrow(/unknown gateway profile "nope"/);
  });
});
