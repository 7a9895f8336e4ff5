import { numberSetting } from '../settings.js';
import { log } from '../util/log.js';
import type { ShareStore } from './store.js';

const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * Deletes shares older than PLAYGROUND_SHARE_RETENTION_DAYS, at start and every hour (0: shares are
 * kept for ever). Returns the function that stops it.
 */
export function startRetention(store: ShareStore): () => void {
  const days = numberSetting('PLAYGROUND_SHARE_RETENTION_DAYS');
  if (!days) return () => {};
  const sweep = () =>
    store.expire(Date.now() - days * 86_400_000).then(
      (deleted) => deleted && log.info('shares.expired', { deleted, days }),
      (e: Error) => log.warn('shares.expire-failed', { message: e.message }),
    );
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
