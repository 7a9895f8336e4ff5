// The line above the output panes that says what the last Run did (or is
// doing), and for every failure what happened and what to do.
import { useEffect, useState } from 'react';
import { useStore } from '../state/store';

function Progress() {
  const progress = useStore((s) => s.progress);
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 200);
    return () => clearInterval(id);
  }, []);
  if (!progress) return null;
  const secs = ((Date.now() - progress.startedAt) / 1000).toFixed(1);
  const queue =
    progress.queued && progress.queued > 0
      ? ` · ${progress.queued} build${progress.queued === 1 ? '' : 's'} queued ahead (${progress.running ?? 0}/${progress.slots ?? '?'} compiling)`
      : '';
  const label = progress.phase === 'building' ? 'Compiling and starting the plugin' : progress.phase === 'starting' ? 'Starting the plugin' : 'Sending the request';
  return (
    <span>
      <span className="spinner" aria-hidden="true" /> {label}… {secs}s{queue}
    </span>
  );
}

export function StatusBanner() {
  const outcome = useStore((s) => s.outcome);
  const running = useStore((s) => s.running);
  const lastRunMs = useStore((s) => s.lastRunMs);
  const reused = useStore((s) => s.reused);
  const setActivePane = useStore((s) => s.setActivePane);
  const revealAt = useStore((s) => s.revealAt);
  if (running) {
    return (
      <div className="banner running" role="status" aria-live="polite" data-testid="status">
        <Progress />
      </div>
    );
  }
  return (
    <div className={`banner k-${outcome.kind}`} role="status" aria-live="polite" data-testid="status" data-kind={outcome.kind}>
      <strong>{outcome.title}</strong>
      {lastRunMs !== null && (outcome.kind === 'ok' || outcome.kind === 'local-reply') && (
        <span className="muted"> · {lastRunMs} ms{reused ? ' (reused the running plugin, no rebuild)' : ''}</span>
      )}
      {outcome.detail && <div className="detail">{outcome.detail}</div>}
      {outcome.hint && <div className="hint">What to do: {outcome.hint}</div>}
      {outcome.file && outcome.line && (
        <button className="link" onClick={() => revealAt(outcome.file!, outcome.line!, outcome.column ?? 1)}>
          Go to {outcome.file}:{outcome.line}
        </button>
      )}{' '}
      {outcome.pane && !['ok', 'local-reply'].includes(outcome.kind) && (
        <button className="link" onClick={() => setActivePane(outcome.pane!)}>
          Open the {outcome.pane} pane
        </button>
      )}
    </div>
  );
}
