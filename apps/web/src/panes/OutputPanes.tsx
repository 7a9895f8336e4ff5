// The tabbed output area: Diff, Response, Logs, Timeline, Sequence, Redis (when
// the scenario declares a Redis service), Build.
import type { ReactNode } from 'react';
import { hasRedis } from '../lib/services';
import { useStore } from '../state/store';
import type { PaneId } from '../state/layout';
import { BuildPane } from './BuildPane';
import { DiffPane } from './DiffPane';
import { ExchangeNotes } from './ExchangeNotes';
import { LogsPane } from './LogsPane';
import { RedisPane } from './RedisPane';
import { ResponsePane } from './ResponsePane';
import { SequencePane } from './SequencePane';
import { StatusBanner } from './StatusBanner';
import { TimelinePane } from './TimelinePane';

const PANES: { id: PaneId; label: string; render: () => ReactNode }[] = [
  { id: 'diff', label: 'Diff', render: () => <DiffPane /> },
  { id: 'response', label: 'Response', render: () => <ResponsePane /> },
  { id: 'logs', label: 'Logs', render: () => <LogsPane /> },
  { id: 'timeline', label: 'Timeline', render: () => <TimelinePane /> },
  { id: 'sequence', label: 'Sequence', render: () => <SequencePane /> },
  { id: 'redis', label: 'Redis', render: () => <RedisPane /> },
  { id: 'build', label: 'Build', render: () => <BuildPane /> },
];

export function OutputPanes() {
  const active = useStore((s) => s.activePane);
  const setActive = useStore((s) => s.setActivePane);
  const logCount = useStore((s) => s.logs.length);
  const buildFailed = useStore((s) => s.build?.ok === false);
  const streaming = useStore((s) => s.streaming !== null);
  const redis = useStore((s) => hasRedis(s.services));
  const panes = redis ? PANES : PANES.filter((p) => p.id !== 'redis');
  const pane = panes.find((p) => p.id === active) ?? panes[0];
  return (
    <section className="output" aria-label="Output">
      <StatusBanner />
      <ExchangeNotes />
      <div className="pane-tabs" role="tablist" aria-label="Output panes">
        {panes.map((p) => (
          <button
            key={p.id}
            role="tab"
            id={`tab-${p.id}`}
            aria-selected={p.id === pane.id}
            aria-controls="pane-body"
            className={p.id === pane.id ? 'active' : ''}
            onClick={() => setActive(p.id)}
          >
            {p.label}
            {p.id === 'response' && streaming && <span className="badge" title="The response is streaming in">…</span>}
            {p.id === 'logs' && logCount > 0 && <span className="badge">{logCount}</span>}
            {p.id === 'build' && buildFailed && <span className="badge error">!</span>}
          </button>
        ))}
      </div>
      <div className="pane-body" id="pane-body" role="tabpanel" aria-labelledby={`tab-${pane.id}`}>
        {pane.render()}
      </div>
    </section>
  );
}
