// The tour's pages: the list of lessons (/tour), or a lesson (/tour/{n}) in a
// column beside the playground's own editor, request and output panes (the
// lesson's files, config and requests are the scenario they show).
import { useState, type ReactNode } from 'react';
import { Splitter } from '../components/Splitter';
import { DIVIDER_PX, splitTracks, type Minimums } from '../lib/split';
import { EDITOR_COLUMNS } from '../state/layout';
import { useStore } from '../state/store';
import { LessonPanel } from './LessonPanel';
import { TourIndex } from './TourIndex';
import './tour.css';

const clampPanel = (f: number) => Math.min(0.5, Math.max(0.2, f));
/** The lesson's text stays readable; the playground keeps what its own columns need. */
const LESSON_COLUMNS: Minimums = [260, EDITOR_COLUMNS[0] + DIVIDER_PX + EDITOR_COLUMNS[1]];

export function TourView({ workspace }: { workspace: ReactNode }) {
  const view = useStore((s) => s.tourRoute.view);
  const [width, setWidth] = useState(0.3);
  if (view === 'index') return <TourIndex />;
  return (
    <div className="tour" style={{ gridTemplateColumns: splitTracks(width, LESSON_COLUMNS) }}>
      <LessonPanel />
      <Splitter direction="vertical" value={width} onChange={(f) => setWidth(clampPanel(f))} label="Resize lesson and playground" min={LESSON_COLUMNS} />
      {workspace}
    </div>
  );
}
