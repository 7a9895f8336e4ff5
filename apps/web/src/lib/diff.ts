// What the Diff pane shows: header rows built from the shared header
// comparison (@playground/shared's compareHeaders, the one the server's
// plugin-effect diff uses), marked where the gateway itself set a header;
// bodies line by line. Pure functions.
import { GATEWAY_HEADERS, compareHeaders, type HeaderChangeKind, type HeadersDiff } from '@playground/shared';
import type { HeaderList } from '../api/types';

/** `gateway`: added or rewritten by the gateway itself (x-forwarded-for, x-request-id, ...), not the plugin. */
export type HeaderRowKind = HeaderChangeKind | 'gateway';

const BY_GATEWAY = new Set(GATEWAY_HEADERS);

/** One row of a header diff table: a repeated header's values are shown joined with ", " (the HTTP list form). */
export interface HeaderRow {
  name: string;
  kind: HeaderRowKind;
  before?: string;
  after?: string;
}

const ORDER: Record<HeaderRowKind, number> = { added: 0, changed: 1, removed: 2, gateway: 3, same: 4 };

/** Every header of two lists as table rows: the plugin's changes first, then the gateway's, then the unchanged. */
export function headerRows(before: HeaderList, after: HeaderList): HeaderRow[] {
  const rows = compareHeaders(before, after).map(({ name, kind, before: was, after: is }): HeaderRow => {
    const byGateway = (kind === 'added' || kind === 'changed') && BY_GATEWAY.has(name.toLowerCase());
    return {
      name,
      kind: byGateway ? 'gateway' : kind,
      ...(kind !== 'added' ? { before: was.join(', ') } : {}),
      ...(kind !== 'removed' ? { after: is.join(', ') } : {}),
    };
  });
  return rows.sort((x, y) => ORDER[x.kind] - ORDER[y.kind]);
}

/** The rows of a plugin-effect diff (sent by the server): one a value added or removed, one a changed name. */
export function headersDiffRows(diff: HeadersDiff): HeaderRow[] {
  return [
    ...diff.added.map(([name, value]): HeaderRow => ({ name, kind: 'added', after: value })),
    ...diff.changed.map((c): HeaderRow => ({ name: c.name, kind: 'changed', before: c.before.join(', '), after: c.after.join(', ') })),
    ...diff.removed.map(([name, value]): HeaderRow => ({ name, kind: 'removed', before: value })),
  ];
}

/** Changes the plugin made (the gateway's own are not counted). */
export function countChanges(rows: HeaderRow[]): number {
  return rows.filter((c) => c.kind !== 'same' && c.kind !== 'gateway').length;
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
