// The page: toolbar on top; editor on the left; request builder and output
// panes on the right; dividers between them; the dialogs. On the tour's
// addresses (/tour, /tour/{n}) the tour's page shows instead, with these panes
// beside its lesson (tour/TourView.tsx). Start-up (health, the first scenario,
// shortcuts) is state/startup.ts.
import { ExamplesGallery } from './components/ExamplesGallery';
import { HelpPanel } from './components/HelpPanel';
import { Notice } from './components/Notice';
import { RequestBuilder } from './components/RequestBuilder';
import { Splitter } from './components/Splitter';
import { Toolbar } from './components/Toolbar';
import { EditorColumn } from './editor/EditorColumn';
import { splitTracks } from './lib/split';
import { OutputPanes } from './panes/OutputPanes';
import { TourView } from './tour/TourView';
import { EDITOR_COLUMNS, REQUEST_ROWS } from './state/layout';
import { useStore } from './state/store';

export function App() {
  const editorWidth = useStore((s) => s.editorWidth);
  const requestHeight = useStore((s) => s.requestHeight);
  const setEditorWidth = useStore((s) => s.setEditorWidth);
  const setRequestHeight = useStore((s) => s.setRequestHeight);
  const onTour = useStore((s) => s.tourRoute.view !== 'playground');

  const workspace = (
    <main className="workspace" style={{ gridTemplateColumns: splitTracks(editorWidth, EDITOR_COLUMNS) }}>
      <EditorColumn />
      <Splitter direction="vertical" value={editorWidth} onChange={setEditorWidth} label="Resize editor and output" min={EDITOR_COLUMNS} />
      <div className="right-col" style={{ gridTemplateRows: splitTracks(requestHeight, REQUEST_ROWS) }}>
        <RequestBuilder />
        <Splitter direction="horizontal" value={requestHeight} onChange={setRequestHeight} label="Resize request and output" min={REQUEST_ROWS} />
        <OutputPanes />
      </div>
    </main>
  );

  return (
    <div className="app">
      <Toolbar />
      <Notice />
      {onTour ? <TourView workspace={workspace} /> : workspace}
      <ExamplesGallery />
      <HelpPanel />
    </div>
  );
}
