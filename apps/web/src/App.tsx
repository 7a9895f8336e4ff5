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
import { OutputPanes } from './panes/OutputPanes';
import { TourView } from './tour/TourView';
import { useStore } from './state/store';

export function App() {
  const editorWidth = useStore((s) => s.editorWidth);
  const requestHeight = useStore((s) => s.requestHeight);
  const setEditorWidth = useStore((s) => s.setEditorWidth);
  const setRequestHeight = useStore((s) => s.setRequestHeight);
  const onTour = useStore((s) => s.tourRoute.view !== 'playground');

  const workspace = (
    <main className="workspace" style={{ gridTemplateColumns: `${editorWidth * 100}% 6px 1fr` }}>
      <EditorColumn />
      <Splitter direction="vertical" value={editorWidth} onChange={setEditorWidth} label="Resize editor and output" />
      <div className="right-col" style={{ gridTemplateRows: `${requestHeight * 100}% 6px 1fr` }}>
        <RequestBuilder />
        <Splitter direction="horizontal" value={requestHeight} onChange={setRequestHeight} label="Resize request and output" />
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
