// The file tabs above the editor: main.go, extra .go files, config.yaml; add,
// rename (double-click or the ✎ button) and delete extra files.
import { useState } from 'react';
import { useStore } from '../state/store';
import { CONFIG_FILE, MAIN_FILE } from '../lib/fileNames';

export function FileTabs() {
  const files = useStore((s) => s.files);
  const activeFile = useStore((s) => s.activeFile);
  const build = useStore((s) => s.build);
  const setActiveFile = useStore((s) => s.setActiveFile);
  const addFile = useStore((s) => s.addFile);
  const renameFile = useStore((s) => s.renameFile);
  const deleteFile = useStore((s) => s.deleteFile);
  const notify = useStore((s) => s.notify);
  const [editing, setEditing] = useState<{ from: string | null; value: string } | null>(null);

  const errorsIn = (name: string) => (build?.diagnostics ?? []).filter((d) => d.file === name && d.severity !== 'warning').length;
  const names = [...files.map((f) => f.name), CONFIG_FILE];

  const commit = () => {
    if (!editing) return;
    const name = editing.value.trim();
    const problem = editing.from === null ? addFile(name) : renameFile(editing.from, name);
    if (problem) notify(problem);
    else {
      notify(null);
      setEditing(null);
    }
  };

  return (
    <div className="file-tabs" role="tablist" aria-label="Files">
      {names.map((name) =>
        editing?.from === name ? (
          <input
            key={name}
            className="tab-input"
            aria-label={`New name for ${name}`}
            autoFocus
            value={editing.value}
            onChange={(e) => setEditing({ ...editing, value: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
              if (e.key === 'Escape') setEditing(null);
            }}
            onBlur={() => setEditing(null)}
          />
        ) : (
          <span key={name} className={`tab ${name === activeFile ? 'active' : ''}`}>
            <button
              role="tab"
              aria-selected={name === activeFile}
              aria-label={`Open ${name}`}
              className="tab-button"
              onClick={() => setActiveFile(name)}
              onDoubleClick={() => name !== MAIN_FILE && name !== CONFIG_FILE && setEditing({ from: name, value: name })}
            >
              {name}
              {errorsIn(name) > 0 && <span className="badge error" aria-label={`${errorsIn(name)} errors`}>{errorsIn(name)}</span>}
            </button>
            {name !== MAIN_FILE && name !== CONFIG_FILE && (
              <>
                <button className="icon" aria-label={`Rename ${name}`} title="Rename" onClick={() => setEditing({ from: name, value: name })}>
                  ✎
                </button>
                <button
                  className="icon"
                  aria-label={`Delete ${name}`}
                  title="Delete"
                  onClick={() => window.confirm(`Delete ${name}?`) && deleteFile(name)}
                >
                  ×
                </button>
              </>
            )}
          </span>
        ),
      )}
      {editing?.from === null ? (
        <input
          className="tab-input"
          aria-label="Name of the new Go file"
          autoFocus
          placeholder="util.go"
          value={editing.value}
          onChange={(e) => setEditing({ from: null, value: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setEditing(null);
          }}
          onBlur={() => (editing.value.trim() ? commit() : setEditing(null))}
        />
      ) : (
        <button className="icon add" aria-label="Add a Go file" title="Add a .go file" onClick={() => setEditing({ from: null, value: '' })}>
          +
        </button>
      )}
    </div>
  );
}
