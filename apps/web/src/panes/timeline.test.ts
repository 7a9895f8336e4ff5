import { describe, expect, it } from 'vitest';
import type { RedisCall } from '../api/types';
import { formatDuration, redisOutcome, timelineRows } from './timeline';

const callout = (cluster: string) => ({ cluster, request: { method: 'GET', path: '/', headers: [], body: '' }, response: null });
const redis = (p: Partial<RedisCall> = {}): RedisCall => ({
  cluster: 'outbound|6379||redis.static',
  command: 'INCR hits',
  reply: '(integer) 3',
  status: 'ok',
  durationMs: 1.5,
  ...p,
});

describe('timelineRows', () => {
  it('nests callouts and Redis calls under the first callback that paused', () => {
    const { rows, loose } = timelineRows(
      [
        { phase: 'request_headers', action: 'Continue', durationUs: 10 },
        { phase: 'request_body', action: 'StopIterationAndBuffer', durationUs: 5 },
        { phase: 'http_call_response', durationUs: 5 },
        { phase: 'redis_call_response', durationUs: 5, detail: 'INCR hits -> (integer) 3' },
      ],
      [callout('a'), callout('b')],
      [redis()],
    );
    expect(rows[0].calls).toEqual([]);
    expect(rows[1].calls.map((c) => `${c.kind} ${c.call.cluster}`)).toEqual(['http a', 'http b', 'redis outbound|6379||redis.static']);
    expect(rows[3].calls).toEqual([]);
    expect(loose).toEqual([]);
  });
  it('lists calls on their own when nothing paused, and takes exchanges without Redis calls', () => {
    const entries = [{ phase: 'request_headers', action: 'Continue', durationUs: 1 }];
    expect(timelineRows(entries, [callout('a')]).loose).toHaveLength(1);
    expect(timelineRows(entries, [], [redis()]).loose).toEqual([{ kind: 'redis', call: redis() }]);
  });
  it('formats durations', () => {
    expect(formatDuration(41)).toBe('41 µs');
    expect(formatDuration(1500)).toBe('1.50 ms');
    expect(formatDuration(2_500_000)).toBe('2.50 s');
  });
});

describe('redisOutcome', () => {
  it('shows the reply, and a failure for a network error or a Redis error reply', () => {
    expect(redisOutcome(redis())).toEqual({ text: '(integer) 3', failed: false });
    expect(redisOutcome(redis({ status: 'network_error', reply: null, error: 'connection refused' }))).toEqual({ text: 'connection refused', failed: true });
    expect(redisOutcome(redis({ reply: '(error) NOAUTH Authentication required.' })).failed).toBe(true);
    expect(redisOutcome(redis({ status: 'pending', reply: null }))).toEqual({ text: 'no reply yet', failed: false });
  });
});
