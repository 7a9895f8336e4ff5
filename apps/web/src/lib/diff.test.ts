import { describe, expect, it } from 'vitest';
import { countChanges, diffFields, diffLines, headerRows, headersDiffRows } from './diff';

describe('headerRows', () => {
  it('finds added, removed, changed and unchanged headers, case-insensitively', () => {
    const changes = headerRows(
      [['Accept', '*/*'], ['x-drop', '1'], ['x-mod', 'a']],
      [['accept', '*/*'], ['x-mod', 'b'], ['hello', 'world']],
    );
    expect(changes).toEqual([
      { name: 'hello', kind: 'added', after: 'world' },
      { name: 'x-mod', kind: 'changed', before: 'a', after: 'b' },
      { name: 'x-drop', kind: 'removed', before: '1' },
      { name: 'Accept', kind: 'same', before: '*/*', after: '*/*' },
    ]);
    expect(countChanges(changes)).toBe(3);
  });

  it('compares repeated headers as one list', () => {
    const changes = headerRows([['via', 'a'], ['via', 'b']], [['via', 'a']]);
    expect(changes).toEqual([{ name: 'via', kind: 'changed', before: 'a, b', after: 'a' }]);
  });
});

describe('diffLines', () => {
  it('marks added and deleted lines around common ones', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'add', text: 'x' },
      { kind: 'same', text: 'c' },
    ]);
  });
  it('handles empty sides', () => {
    expect(diffLines('', 'hello world')).toEqual([{ kind: 'add', text: 'hello world' }]);
    expect(diffLines('x', '')).toEqual([{ kind: 'del', text: 'x' }]);
    expect(diffLines('', '')).toEqual([]);
  });
});

describe('diffFields', () => {
  it('reports changed start-line fields only', () => {
    expect(diffFields({ method: 'GET', path: '/a' }, { method: 'GET', path: '/b' }, ['method', 'path'])).toEqual([
      { field: 'path', before: '/a', after: '/b' },
    ]);
  });
});

describe('headers the gateway adds', () => {
  it('are marked as the gateway\'s and not counted as the plugin\'s changes', () => {
    const changes = headerRows([['accept', '*/*']], [['accept', '*/*'], ['x-forwarded-for', '10.0.0.1'], ['x-request-id', 'r'], ['hello', 'world']]);
    expect(changes.filter((c) => c.kind === 'gateway').map((c) => c.name)).toEqual(['x-forwarded-for', 'x-request-id']);
    expect(countChanges(changes)).toBe(1);
  });
});

describe('headersDiffRows', () => {
  it('shows a plugin-effect diff as rows, a value a row', () => {
    expect(headersDiffRows({ added: [['x', '1'], ['x', '2']], removed: [['y', 'a']], changed: [{ name: 'via', before: ['a', 'b'], after: ['a'] }] })).toEqual([
      { name: 'x', kind: 'added', after: '1' },
      { name: 'x', kind: 'added', after: '2' },
      { name: 'via', kind: 'changed', before: 'a, b', after: 'a' },
      { name: 'y', kind: 'removed', before: 'a' },
    ]);
  });
});
