// The keys in the live session's Redis services, read again after each
// exchange (the plugin may have changed them) and on request; and clearing
// them. What comes back for a session that is no longer the live one is dropped.
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure, api } from '../api/client';
import type { RedisKeysView } from '../api/types';
import { failureOutcome } from '../lib/outcome';
import { useStore } from '../state/store';

export interface RedisKeysState {
  view: RedisKeysView | null;
  error: string | null;
  loading: boolean;
  refresh: () => void;
  clear: () => Promise<void>;
}

interface Result {
  sessionId: string;
  view?: RedisKeysView;
  error?: string;
}

function describe(err: unknown): string {
  if (err instanceof ApiFailure && err.status === 404) return 'The plugin session ended (it was idle or replaced), and its Redis with it. Run to start a new one.';
  const o = failureOutcome(err);
  return o.detail ? `${o.title}: ${o.detail}` : o.title;
}

export function useRedisKeys(sessionId: string | undefined): RedisKeysState {
  const lastExchange = useStore((s) => s.exchanges[s.exchanges.length - 1]?.id);
  const [result, setResult] = useState<Result | null>(null);
  const [loading, setLoading] = useState(false);
  const [reads, setReads] = useState(0);

  useEffect(() => {
    if (!sessionId) return;
    let current = true;
    setLoading(true);
    api.redisKeys(sessionId).then(
      (view) => current && setResult({ sessionId, view }),
      (err: unknown) => current && setResult({ sessionId, error: describe(err) }),
    ).finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [sessionId, lastExchange, reads]);

  const refresh = useCallback(() => setReads((n) => n + 1), []);

  const clear = useCallback(async () => {
    if (!sessionId) return;
    try {
      await api.clearRedis(sessionId);
      setReads((n) => n + 1);
    } catch (err) {
      setResult((r) => ({ ...(r?.sessionId === sessionId ? r : {}), sessionId, error: describe(err) }));
    }
  }, [sessionId]);

  const mine = result?.sessionId === sessionId ? result : null;
  return { view: mine?.view ?? null, error: mine?.error ?? null, loading, refresh, clear };
}
