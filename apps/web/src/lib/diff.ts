// Diffs between what went in and what came out of the plugin: header lists
// (added / removed / changed) and bodies (line by line). Pure functions.
import type { HeaderList } from '../api/types';

import { GATEWAY_HEADERS } from '@playground/shared';

/** `gateway`: added or rewritten by the gateway itself (x-forwarded-for, x-request-id, ...), not the plugin. */
export type HeaderChangeKind = 'added' | 'removed' | 'changed' | 'same' | 'gateway';

const BY_GATEWAY = new Set(GATEWAY_HEADERS);

export interface HeaderChange {
  name: string;
  kind: HeaderChangeKind;
  before?: string;
  after?: string;
}

/**
 * Compares two header lists by case-insensitive name. Repeated headers are
 * compared as their values joined with ", " (the HTTP list form).
 */
export function diffHeaders(before: HeaderList, after: HeaderList): HeaderChange[] {
  const group = (list: HeaderList) => {
    const map = new Map<string, { name: string; values: string[] }>();
    for (const [name, value] of list) {
      const key = name.toLowerCase();
      const entry = map.get(key) ?? { name, values: [] };
      entry.values.push(value);
      map.set(key, entry);
    }
    return map;
  };
  const a = group(before);
  const b = group(after);
  const out: HeaderChange[] = [];
  for (const [key, { name, values }] of a) {
    const other = b.get(key);
    const beforeValue = values.join(', ');
    if (!other) out.push({ name, kind: 'removed', before: beforeValue });
    else {
      const afterValue = other.values.join(', ');
      out.push({ name, kind: beforeValue === afterValue ? 'same' : 'changed', before: beforeValue, after: afterValue });
    }
  }
  for (const [key, { name, values }] of b) {
    if (!a.has(key)) out.push({ name, kind: 'added', after: values.join(', ') });
  }
  for (const c of out) if ((c.kind === 'added' || c.kind === 'changed') && BY_GATEWAY.has(c.name.toLowerCase())) c.kind = 'gateway';
  const order: Record<HeaderChangeKind, number> = { added: 0, changed: 1, removed: 2, gateway: 3, same: 4 };
  return out.sort((x, y) => order[x.kind] - order[y.kind]);
}

/** Changes the plugin made (the gateway's own are not counted). */
export function countChanges(changes: HeaderChange[]): number {
  return changes.filter((c) => c.kind !== 'same' && c.kind !== 'gateway').length;
}

export interface LineOp {
  kind: 'same' | 'add' | 'del';
  text: string;
}

/** A line diff (longest common subsequence); large inputs fall back to delete-all/add-all. */
export function diffLines(before: string, after: string): LineOp[] {
  if (before === after) return before === '' ? [] : before.split('\n').map((text) => ({ kind: 'same', text }));
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  if (a.length * b.length > 4_000_000) {
    return [...a.map((text) => ({ kind: 'del' as const, text })), ...b.map((text) => ({ kind: 'add' as const, text }))];
  }
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ops.push({ kind: 'del', text: a[i++] });
    } else {
      ops.push({ kind: 'add', text: b[j++] });
    }
  }
  while (i < n) ops.push({ kind: 'del', text: a[i++] });
  while (j < m) ops.push({ kind: 'add', text: b[j++] });
  return ops;
}

export interface StartLineChange {
  field: string;
  before: string;
  after: string;
}

/** Changes to the request line or the status (method, path, status code). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>, fields: string[]): StartLineChange[] {
  return fields
    .filter((f) => before[f] !== after[f])
    .map((f) => ({ field: f, before: String(before[f] ?? ''), after: String(after[f] ?? '') }));
}
