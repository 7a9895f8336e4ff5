import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { savedStorage } from './savedStorage';

/** A localStorage stand-in whose writes fail while `full` is set. */
function fakeStorage() {
  const data = new Map<string, string>();
  const store = {
    full: false,
    writes: 0,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      store.writes++;
      if (store.full) throw new DOMException('quota', 'QuotaExceededError');
      data.set(k, v);
    },
    removeItem: (k: string) => void data.delete(k),
  };
  return store;
}

describe('savedStorage', () => {
  let backing: ReturnType<typeof fakeStorage>;
  beforeEach(() => {
    vi.useFakeTimers();
    backing = fakeStorage();
    vi.stubGlobal('localStorage', backing);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('writes once per burst of changes, and not at all when the persisted fields did not change', () => {
    const storage = savedStorage<{ a: number[]; b: string }>(() => {});
    const a = [1];
    storage.setItem('k', { state: { a, b: 'x' }, version: 1 });
    storage.setItem('k', { state: { a, b: 'y' }, version: 1 });
    vi.runAllTimers();
    expect(backing.writes).toBe(1);
    expect(storage.getItem('k')).toEqual({ state: { a: [1], b: 'y' }, version: 1 });
    storage.setItem('k', { state: { a, b: 'y' }, version: 1 }); // e.g. only logs changed
    vi.runAllTimers();
    expect(backing.writes).toBe(1);
  });

  it('never throws on a full storage and tells the user once', () => {
    const onError = vi.fn();
    const storage = savedStorage<{ n: number }>(onError);
    backing.full = true;
    for (let n = 0; n < 3; n++) {
      storage.setItem('k', { state: { n }, version: 1 });
      expect(() => vi.runAllTimers()).not.toThrow();
    }
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('reads unreadable JSON as nothing saved, and forget() stops later writes', () => {
    backing.setItem('k', '{not json');
    const storage = savedStorage<{ n: number }>(() => {});
    expect(storage.getItem('k')).toBeNull();
    storage.setItem('k', { state: { n: 1 }, version: 1 });
    storage.forget('k');
    storage.setItem('k', { state: { n: 2 }, version: 1 });
    storage.flush();
    vi.runAllTimers();
    expect(backing.getItem('k')).toBeNull();
  });
});
