import { describe, expect, it } from 'vitest';
import { countChanges, diffFields, diffHeaders, diffLines } from './diff';

describe('diffHeaders', () => {
  it('finds added, removed, changed and unchanged headers, case-insensitively', () => {
    const changes = diffHeaders(
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
    const changes = diffHeaders([['via', 'a'], ['via', 'b']], [['via', 'a']]);
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
    const changes = diffHeaders([['accept', '*/*']], [['accept', '*/*'], ['x-forwarded-for', '10.0.0.1'], ['x-request-id', 'r'], ['hello', 'world']]);
    expect(changes.filter((c) => c.kind === 'gateway').map((c) => c.name)).toEqual(['x-forwarded-for', 'x-request-id']);
    expect(countChanges(changes)).toBe(1);
  });
});
