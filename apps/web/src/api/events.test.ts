import { describe, expect, it } from 'vitest';
import { parseSessionEvent } from './events';

describe('parseSessionEvent', () => {
  it('passes events of the promised shape', () => {
    const log = { level: 'info', message: 'hi', time: '2025-01-01T00:00:00Z' };
    expect(parseSessionEvent('log', JSON.stringify(log))).toEqual({ type: 'log', data: log });
    expect(parseSessionEvent('session-ended', '{"sessionId":"s1","reason":"idle"}')).toEqual({ type: 'session-ended', data: { sessionId: 's1', reason: 'idle' } });
  });

  it('drops data that is not JSON or not the shape of its event type', () => {
    expect(parseSessionEvent('log', '<html>502</html>')).toBeNull();
    expect(parseSessionEvent('log', '{"message":"no level"}')).toBeNull();
    expect(parseSessionEvent('exchange', '{"request":{}}')).toBeNull();
    expect(parseSessionEvent('exchange', 'null')).toBeNull();
    expect(parseSessionEvent('session-ended', '{}')).toBeNull();
  });
});
