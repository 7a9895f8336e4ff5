// The page: toolbar on top; editor on the left; request builder and output
// panes on the right; dividers between them. Also boots the app (health,
// a shared link or the first-visit example) and binds global shortcuts.
import { useEffect, useState, type DragEvent } from 'react';
import { CodeEditor, currentMarkers } from './editor/CodeEditor';
import { FileTabs } from './editor/FileTabs';
import { FileTree } from './editor/FileTree';
import { registerLanguageFeatures } from './editor/languageFeatures';
import { openDrop, watchSourcesForAnalysis } from './state/labActions';
import { registerGoFormatter } from './editor/formatProvider';
import { ExamplesGallery } from './components/ExamplesGallery';
import { HelpPanel } from './components/HelpPanel';
import { Notice } from './components/Notice';
import { RequestBuilder } from './components/RequestBuilder';
import { Splitter } from './components/Splitter';
import { Toolbar } from './components/Toolbar';
import { OutputPanes } from './panes/OutputPanes';
import { api } from './api/client';
import { endSessionOnUnload, openExample, openShare, refreshHealth, run, shareIdFromPath, watchForServer } from './state/actions';
import { FIRST_VISIT, useStore } from './state/store';

let booted = false;

async function boot() {
  if (booted) return;
  booted = true;
  registerGoFormatter();
  registerLanguageFeatures();
  endSessionOnUnload();
  const healthy = await refreshHealth();
  const shareId = shareIdFromPath(window.location.pathname);
  if (shareId) {
    await openShare(shareId);
  } else if (FIRST_VISIT && healthy) {
    // First visit: start from the hello-world example when the server has it.
    try {
      const list = await api.examples();
      if (list.some((e) => e.name === 'hello-world')) await openExample('hello-world');
    } catch {
      /* keep the built-in hello-world */
    }
  }
  if (!healthy) watchForServer();
  watchSourcesForAnalysis();
  // Tells tests (and anyone curious) that the first scenario is in place.
  document.documentElement.dataset.ready = 'true';
}

/** The tree and the editor; a project folder or .zip dropped here is opened. */
function EditorColumn() {
  const [over, setOver] = useState(false);
  const importing = useStore((s) => s.busy === 'import');
  const external = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  return (
    <section
      className={`editor-col ${over ? 'drop-over' : ''}`}
      aria-label="Plugin source"
      data-testid="editor-drop-zone"
      onDragOver={(e) => {
        if (!external(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={(e) => {
        if (!external(e)) return;
        e.preventDefault();
        setOver(false);
        void openDrop(e.dataTransfer);
      }}
    >
      <FileTree />
      <div className="editor-main">
        <FileTabs />
        <CodeEditor />
      </div>
      {over && <div className="drop-hint">Drop a project folder or a .zip to open it</div>}
      {importing && !over && (
        <div className="drop-hint" role="status">
          Reading the project…
        </div>
      )}
    </section>
  );
}

export function App() {
  const theme = useStore((s) => s.theme);
  const editorWidth = useStore((s) => s.editorWidth);
  const requestHeight = useStore((s) => s.requestHeight);
  const setEditorWidth = useStore((s) => s.setEditorWidth);
  const setRequestHeight = useStore((s) => s.setRequestHeight);
  const origin = useStore((s) => s.origin);

  useEffect(() => {
    void boot();
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void run();
      }
    };
    window.addEventListener('keydown', onKey);
    // The e2e tests drive the store and read markers; pages opened normally do not expose them.
    if (import.meta.env.DEV || new URLSearchParams(window.location.search).has('e2e')) {
      (window as unknown as Record<string, unknown>).__playground = { store: useStore, markers: currentMarkers };
    }
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Editing a shared scenario forks it: the address no longer points at the share.
  useEffect(() => {
    if (origin.forked && window.location.pathname.startsWith('/p/')) window.history.replaceState(null, '', '/');
  }, [origin.forked]);

  return (
    <div className="app">
      <Toolbar />
      <Notice />
      <main className="workspace" style={{ gridTemplateColumns: `${editorWidth * 100}% 6px 1fr` }}>
        <EditorColumn />
        <Splitter direction="vertical" value={editorWidth} onChange={setEditorWidth} label="Resize editor and output" />
        <div className="right-col" style={{ gridTemplateRows: `${requestHeight * 100}% 6px 1fr` }}>
          <RequestBuilder />
          <Splitter direction="horizontal" value={requestHeight} onChange={setRequestHeight} label="Resize request and output" />
          <OutputPanes />
        </div>
      </main>
      <ExamplesGallery />
      <HelpPanel />
    </div>
  );
}
