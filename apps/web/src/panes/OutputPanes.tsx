// The tabbed output area: Diff, Response, Logs, Timeline, Build.
import type { ReactNode } from 'react';
import { useStore } from '../state/store';
import type { PaneId } from '../state/uiSlice';
import { BuildPane } from './BuildPane';
import { DiffPane } from './DiffPane';
import { ExchangeNotes } from './ExchangeNotes';
import { LogsPane } from './LogsPane';
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
  { id: 'build', label: 'Build', render: () => <BuildPane /> },
];

export function OutputPanes() {
  const active = useStore((s) => s.activePane);
  const setActive = useStore((s) => s.setActivePane);
  const logCount = useStore((s) => s.logs.length);
  const buildFailed = useStore((s) => s.build?.ok === false);
  const pane = PANES.find((p) => p.id === active) ?? PANES[0];
  return (
    <section className="output" aria-label="Output">
      <StatusBanner />
      <ExchangeNotes />
      <div className="pane-tabs" role="tablist" aria-label="Output panes">
        {PANES.map((p) => (
          <button
            key={p.id}
            role="tab"
            id={`tab-${p.id}`}
            aria-selected={p.id === active}
            aria-controls="pane-body"
            className={p.id === active ? 'active' : ''}
            onClick={() => setActive(p.id)}
          >
            {p.label}
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
