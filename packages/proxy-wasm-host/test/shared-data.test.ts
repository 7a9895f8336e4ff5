// src/shared-data.ts: the key/value store a plugin's VMs share, with compare-and-swap, as
// proxy-wasm-cpp-host's shared_data.cc SharedData::get / set: cas 0 sets without a check, a cas that
// is not the key's current one is CasMismatch (set answers false), every set takes a new non-zero
// cas, and each vm_id has its own keys.
import { describe, expect, it } from 'vitest';
import { SharedData } from '../src/shared-data.js';
import { dec, enc } from './support/harness.js';

describe('SharedData', () => {
  it('an unknown key is NotFound (undefined); a set is read back with a non-zero cas', () => {
    const store = new SharedData();
    expect(store.get('', 'k')).toBeUndefined();
    expect(store.set('', 'k', enc('v'), 0)).toBe(true);
    const e = store.get('', 'k')!;
    expect(dec(e.value)).toBe('v');
    expect(e.cas).not.toBe(0);
  });

  it('cas 0 means no check: it overwrites whatever is there', () => {
    const store = new SharedData();
    store.set('', 'k', enc('1'), 0);
    expect(store.set('', 'k', enc('2'), 0)).toBe(true);
    expect(dec(store.get('', 'k')!.value)).toBe('2');
  });

  it('the current cas wins once; the same cas again is a mismatch and changes nothing', () => {
    const store = new SharedData();
    store.set('', 'k', enc('1'), 0);
    const cas = store.get('', 'k')!.cas;
    expect(store.set('', 'k', enc('2'), cas)).toBe(true);
    const next = store.get('', 'k')!.cas;
    expect(next).not.toBe(cas);
    // A second writer that read the old value loses.
    expect(store.set('', 'k', enc('3'), cas)).toBe(false);
    expect(store.get('', 'k')).toEqual({ value: enc('2'), cas: next });
  });

  it('a cas on a key that does not exist yet is no conflict: the key is created', () => {
    const store = new SharedData();
    expect(store.set('', 'fresh', enc('x'), 12345)).toBe(true);
    expect(dec(store.get('', 'fresh')!.value)).toBe('x');
  });

  it('every set takes a new cas, across keys', () => {
    const store = new SharedData();
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      store.set('', `k${i % 5}`, enc(String(i)), 0);
      seen.add(store.get('', `k${i % 5}`)!.cas);
    }
    expect(seen.size).toBe(50);
  });

  it('the cas counter skips 0 when it wraps (0 would mean "no check")', () => {
    const store = new SharedData();
    // Put the counter just before the wrap (a u32 in cpp-host).
    (store as unknown as { casCounter: number }).casCounter = 0xffff_fffe;
    store.set('', 'a', enc('1'), 0);
    expect(store.get('', 'a')!.cas).toBe(0xffff_ffff);
    store.set('', 'a', enc('2'), 0);
    expect(store.get('', 'a')!.cas).toBe(1);
  });

  it('keys are per vm_id: the same key under another vm_id is another entry', () => {
    const store = new SharedData();
    store.set('vm-a', 'k', enc('a'), 0);
    store.set('vm-b', 'k', enc('b'), 0);
    expect(dec(store.get('vm-a', 'k')!.value)).toBe('a');
    expect(dec(store.get('vm-b', 'k')!.value)).toBe('b');
    expect(store.get('', 'k')).toBeUndefined();
    // A cas from one vm_id's entry does not apply to the other's.
    const casA = store.get('vm-a', 'k')!.cas;
    expect(store.set('vm-b', 'k', enc('b2'), casA)).toBe(false);
  });

  it('keys(vmId) lists that vm_id\'s keys only', () => {
    const store = new SharedData();
    store.set('vm-a', 'x', enc('1'), 0);
    store.set('vm-a', 'y', enc('1'), 0);
    store.set('vm-b', 'z', enc('1'), 0);
    expect(store.keys('vm-a').sort()).toEqual(['x', 'y']);
    expect(store.keys('vm-b')).toEqual(['z']);
    expect(store.keys('')).toEqual([]);
  });
});
