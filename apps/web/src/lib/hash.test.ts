import { describe, expect, it } from 'vitest';
import { sourcesHash } from './hash';

describe('sourcesHash', () => {
  it('is stable across file order and changes with any input', () => {
    const a = sourcesHash({ 'main.go': 'x', 'b.go': 'y' }, 'c: 1', 'embedded');
    expect(sourcesHash({ 'b.go': 'y', 'main.go': 'x' }, 'c: 1', 'embedded')).toBe(a);
    expect(sourcesHash({ 'main.go': 'x', 'b.go': 'y' }, 'c: 2', 'embedded')).not.toBe(a);
    expect(sourcesHash({ 'main.go': 'x!', 'b.go': 'y' }, 'c: 1', 'embedded')).not.toBe(a);
    expect(sourcesHash({ 'main.go': 'x', 'b.go': 'y' }, 'c: 1', 'docker')).not.toBe(a);
  });
});
