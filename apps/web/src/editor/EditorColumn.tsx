// The editor column: the project tree and the editor with its tabs; a project
// folder or .zip dropped here is opened. The editor itself (EditorHost) comes
// after the rest of the page: a placeholder shows the file until Monaco loads.
import { useState, type DragEvent } from 'react';
import { useStore } from '../state/store';
import { EditorHost } from './EditorHost';
import { FileTabs } from './FileTabs';
import { FileTree } from './FileTree';

export function EditorColumn() {
  const [over, setOver] = useState(false);
  const importing = useStore((s) => s.busy === 'import');
  const openDrop = useStore((s) => s.openDrop);
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
        <EditorHost />
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
