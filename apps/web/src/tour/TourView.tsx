// The tour's pages: the list of lessons (/tour), or a lesson (/tour/{n}) in a
// column beside the playground's own editor, request and output panes (the
// lesson's files, config and requests are the scenario they show).
import { useState, type ReactNode } from 'react';
import { Splitter } from '../components/Splitter';
import { useStore } from '../state/store';
import { LessonPanel } from './LessonPanel';
import { TourIndex } from './TourIndex';
import './tour.css';

const clampPanel = (f: number) => Math.min(0.5, Math.max(0.2, f));

export function TourView({ workspace }: { workspace: ReactNode }) {
  const view = useStore((s) => s.tourRoute.view);
  const [width, setWidth] = useState(0.3);
  if (view === 'index') return <TourIndex />;
  return (
    <div className="tour" style={{ gridTemplateColumns: `${width * 100}% 6px 1fr` }}>
      <LessonPanel />
      <Splitter direction="vertical" value={width} onChange={(f) => setWidth(clampPanel(f))} label="Resize lesson and playground" />
      {workspace}
    </div>
  );
}
