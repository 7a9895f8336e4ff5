import { describe, expect, it } from 'vitest';
import { formatDuration, timelineRows } from './timeline';

const callout = (cluster: string) => ({ cluster, request: { method: 'GET', path: '/', headers: [], body: '' }, response: null });

describe('timelineRows', () => {
  it('nests callouts under the first callback that paused', () => {
    const { rows, loose } = timelineRows(
      [
        { phase: 'request_headers', action: 'Continue', durationUs: 10 },
        { phase: 'request_body', action: 'StopIterationAndBuffer', durationUs: 5 },
        { phase: 'http_call_response', durationUs: 5 },
      ],
      [callout('a'), callout('b')],
    );
    expect(rows[0].callouts).toEqual([]);
    expect(rows[1].callouts.map((c) => c.cluster)).toEqual(['a', 'b']);
    expect(loose).toEqual([]);
  });
  it('lists callouts on their own when nothing paused', () => {
    const { loose } = timelineRows([{ phase: 'request_headers', action: 'Continue', durationUs: 1 }], [callout('a')]);
    expect(loose).toHaveLength(1);
  });
  it('formats durations', () => {
    expect(formatDuration(41)).toBe('41 µs');
    expect(formatDuration(1500)).toBe('1.50 ms');
    expect(formatDuration(2_500_000)).toBe('2.50 s');
  });
});
