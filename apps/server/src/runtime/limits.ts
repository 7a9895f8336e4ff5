import { envNumber as num } from '../util/env.js';

/** Caps on sessions and on what one request may carry; overridable by env. */
export function sessionLimits() {
  return {
    perClient: num('PLAYGROUND_SESSIONS_PER_CLIENT', 8),
    total: num('PLAYGROUND_SESSIONS_TOTAL', 64),
    idleMs: num('PLAYGROUND_SESSION_IDLE_MS', 10 * 60_000),
    requestBodyBytes: num('PLAYGROUND_REQUEST_BODY_BYTES', 1024 * 1024),
    maxHeaders: num('PLAYGROUND_MAX_HEADERS', 100),
    vmMemoryMiB: num('PLAYGROUND_VM_MEMORY_MB', 256),
    callbackTimeoutMs: num('PLAYGROUND_CALLBACK_TIMEOUT_MS', 2000),
    streamTimeoutMs: num('PLAYGROUND_STREAM_TIMEOUT_MS', 10_000),
    /** Data a session's Redis may hold (maxmemory; writes beyond it answer OOM, as Redis does). */
    redisMemoryMiB: num('PLAYGROUND_REDIS_MEMORY_MB', 32),
  };
}
export type SessionLimits = ReturnType<typeof sessionLimits>;
