// Where the store's persisted part goes: local storage, written at most every
// few hundred milliseconds and only when a persisted field changed. A full or
// unavailable storage must never break the page (a failed write would
// otherwise throw out of every store update, e.g. in the middle of Run), so
// read and write errors are caught and the user is told once.
import type { PersistStorage, StorageValue } from 'zustand/middleware';

export interface SavedStorage<S> extends PersistStorage<S> {
  /** Writes a pending change now (the page is going away). */
  flush: () => void;
  /** Removes the saved value and ignores every later write (before a reload that must start clean). */
  forget: (name: string) => void;
}

function backend(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // access itself can throw (e.g. storage disabled by the browser)
  }
}

const sameFields = (a: object, b: object) => {
  const ka = Object.keys(a) as (keyof typeof a)[];
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export function savedStorage<S extends object>(onWriteError: (err: unknown) => void, delayMs = 400): SavedStorage<S> {
  let pending: { name: string; value: StorageValue<S> } | null = null;
  let lastState: S | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let warned = false;
  let forgotten = false;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending || forgotten) return;
    const { name, value } = pending;
    pending = null;
    try {
      backend()?.setItem(name, JSON.stringify(value));
      warned = false;
    } catch (err) {
      if (!warned) onWriteError(err);
      warned = true;
    }
  };

  const removeItem = (name: string) => {
    pending = null;
    lastState = null;
    try {
      backend()?.removeItem(name);
    } catch {
      /* nothing saved that we could reach */
    }
  };

  return {
    getItem: (name) => {
      try {
        const raw = backend()?.getItem(name);
        return raw ? (JSON.parse(raw) as StorageValue<S>) : null;
      } catch {
        return null; // unreadable JSON: start from the defaults
      }
    },
    setItem: (name, value) => {
      // The store calls this on every update (logs, progress…); only persisted changes count.
      if (forgotten || (lastState && sameFields(lastState, value.state))) return;
      lastState = value.state;
      pending = { name, value };
      timer ??= setTimeout(flush, delayMs);
    },
    removeItem,
    flush,
    forget: (name) => {
      forgotten = true;
      removeItem(name);
    },
  };
}
