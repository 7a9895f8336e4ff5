import { numberSetting as num } from '../settings.js';

/** Caps on sessions and on what one request may carry; overridable by env. */
export function sessionLimits() {
  return {
    perClient: num('PLAYGROUND_SESSIONS_PER_CLIENT'),
    total: num('PLAYGROUND_SESSIONS_TOTAL'),
    idleMs: num('PLAYGROUND_SESSION_IDLE_MS'),
    requestBodyBytes: num('PLAYGROUND_REQUEST_BODY_BYTES'),
    maxHeaders: num('PLAYGROUND_MAX_HEADERS'),
    /** Requests one session serves at once (API and gateway port each); more wait for none: 429/503. */
    inFlight: num('PLAYGROUND_SESSION_IN_FLIGHT'),
    vmMemoryMiB: num('PLAYGROUND_VM_MEMORY_MB'),
    callbackTimeoutMs: num('PLAYGROUND_CALLBACK_TIMEOUT_MS'),
    streamTimeoutMs: num('PLAYGROUND_STREAM_TIMEOUT_MS'),
    tickBudgetPercent: num('PLAYGROUND_TICK_BUDGET_PERCENT'),
    /** Data a session's Redis may hold (maxmemory; writes beyond it answer OOM, as Redis does). */
    redisMemoryMiB: num('PLAYGROUND_REDIS_MEMORY_MB'),
  };
}
export type SessionLimits = ReturnType<typeof sessionLimits>;
