// The project tree: folders (Go packages) and files; add, rename, move (drag a
// row onto a folder, or rename to a new path), delete; open a project from a
// .zip or a folder; download it as a .zip bundle.
import { useMemo, useRef, useState, type DragEvent } from 'react';
import { CONFIG_FILE, MAIN_FILE } from '../lib/fileNames';
import { useStore } from '../state/store';
import { allFolders } from '../state/workspace';
import { mergeDiagnostics } from './markers';

type Editing =
  | { mode: 'file' | 'folder'; parent: string; value: string }
  | { mode: 'rename-file' | 'rename-folder'; target: string; value: string };

const MOVE_TYPE = 'application/x-playground-path';

interface Node {
  kind: 'file' | 'folder';
  path: string;
  name: string;
  depth: number;
}

function buildRows(files: string[], folders: string[], collapsed: Set<string>): Node[] {
  const rows: Node[] = [];
  const visit = (parent: string, depth: number) => {
    const prefix = parent ? `${parent}/` : '';
    const childFolders = folders.filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/'));
    const childFiles = files.filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/'));
    for (const f of childFiles) rows.push({ kind: 'file', path: f, name: f.slice(prefix.length), depth });
    for (const d of childFolders) {
      rows.push({ kind: 'folder', path: d, name: d.slice(prefix.length), depth });
      if (!collapsed.has(d)) visit(d, depth + 1);
    }
  };
  visit('', 0);
  return rows;
}

export function FileTree() {
  const files = useStore((s) => s.files);
  const folders = useStore((s) => s.folders);
  const activeFile = useStore((s) => s.activeFile);
  const build = useStore((s) => s.build);
  const analysis = useStore((s) => s.analysis);
  const busy = useStore((s) => s.busy);
  const buildId = useStore((s) => s.buildId);
  const hasGoMod = files.some((f) => f.name === 'go.mod');
  const st = useStore.getState;
  const { addModuleFilesFromBuild, downloadBundle, openFileList, openZip } = st();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const zipInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);

  const tree = useMemo(() => allFolders(files, folders), [files, folders]);
  const rows = useMemo(() => buildRows(files.map((f) => f.name), tree, collapsed), [files, tree, collapsed]);
  const diagnostics = useMemo(() => mergeDiagnostics(build, analysis), [build, analysis]);
  const problems = (path: string, folder: boolean) => {
    const ds = diagnostics.filter((d) => (folder ? d.file.startsWith(`${path}/`) : d.file === path));
    return { errors: ds.filter((d) => d.severity !== 'warning').length, warnings: ds.filter((d) => d.severity === 'warning').length };
  };

  const commit = () => {
    if (!editing) return;
    const v = editing.value.trim();
    if (!v) return setEditing(null);
    let problem: string | null;
    if (editing.mode === 'file') problem = st().addFile(editing.parent ? `${editing.parent}/${v}` : v);
    else if (editing.mode === 'folder') problem = st().addFolder(editing.parent ? `${editing.parent}/${v}` : v);
    else if (editing.mode === 'rename-file') problem = st().renameFile(editing.target, v);
    else if (editing.mode === 'rename-folder') problem = st().renameFolder(editing.target, v);
    else problem = null;
    st().notify(problem);
    if (!problem) setEditing(null);
  };

  const move = (from: string, toFolder: string) => {
    const isFolder = tree.includes(from);
    const base = from.split('/').pop()!;
    const to = toFolder ? `${toFolder}/${base}` : base;
    if (to === from || toFolder === from) return;
    const problem = isFolder ? st().renameFolder(from, to) : st().renameFile(from, to);
    st().notify(problem);
  };

  const dropProps = (folder: string) => ({
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes(MOVE_TYPE)) return;
      e.preventDefault();
      e.stopPropagation();
      setDropTarget(folder);
    },
    onDragLeave: () => setDropTarget((t) => (t === folder ? null : t)),
    onDrop: (e: DragEvent) => {
      const from = e.dataTransfer.getData(MOVE_TYPE);
      if (!from) return;
      e.preventDefault();
      e.stopPropagation();
      setDropTarget(null);
      move(from, folder);
    },
  });

  const label =
    editing?.mode === 'file'
      ? `New file in ${editing.parent || 'the project root'}`
      : editing?.mode === 'folder'
        ? `New folder in ${editing.parent || 'the project root'}`
        : editing && 'target' in editing
          ? `New path for ${editing.target}`
          : '';

  return (
    <nav className={`file-tree ${dropTarget === '' ? 'drop' : ''}`} aria-label="Project files" {...dropProps('')}>
      <div className="tree-head">
        <span className="tree-title">Files</span>
        <button className="icon" title="New file (e.g. provider/openai.go, go.mod, data.json)" aria-label="New file" onClick={() => setEditing({ mode: 'file', parent: '', value: '' })}>
          + file
        </button>
        <button className="icon" title="New folder" aria-label="New folder" onClick={() => setEditing({ mode: 'folder', parent: '', value: '' })}>
          + folder
        </button>
      </div>
      <div className="tree-head">
        <button className="small" title="Open a project from a .zip (or drop a .zip or a folder on the editor)" aria-label="Open a project .zip" disabled={busy === 'import'} onClick={() => zipInput.current?.click()}>
          Open .zip
        </button>
        <button className="small" title="Open a project folder" aria-label="Open a project folder" onClick={() => dirInput.current?.click()}>
          Folder
        </button>
        <button className="small" title="Download the project, config and requests as a .zip bundle" aria-label="Download the project as .zip" disabled={busy === 'export'} onClick={() => void downloadBundle()}>
          ⤓ .zip
        </button>
        {!hasGoMod && buildId && (
          <button className="small" title="Add the go.mod and go.sum the last build used, to pin or add modules" aria-label="Add go.mod from the last build" onClick={() => void addModuleFilesFromBuild()}>
            + go.mod
          </button>
        )}
        <input
          ref={zipInput}
          type="file"
          accept=".zip,application/zip"
          hidden
          data-testid="zip-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void openZip(f, f.name);
            e.target.value = '';
          }}
        />
        <input
          ref={dirInput}
          type="file"
          hidden
          multiple
          data-testid="folder-input"
          {...({ webkitdirectory: '' } as Record<string, string>)}
          onChange={(e) => {
            const list = [...(e.target.files ?? [])];
            if (list.length) void openFileList(list.map((f) => ({ path: f.webkitRelativePath || f.name, file: f })), `folder ${list[0].webkitRelativePath.split('/')[0] || ''}`.trim());
            e.target.value = '';
          }}
        />
      </div>
      {editing && (
        <div className="tree-edit">
          <label className="small muted" htmlFor="tree-edit-input">
            {label}
          </label>
          <input
            id="tree-edit-input"
            aria-label={label}
            autoFocus
            value={editing.value}
            placeholder={editing.mode === 'folder' ? 'provider' : 'provider/openai.go'}
            onChange={(e) => setEditing({ ...editing, value: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
              if (e.key === 'Escape') setEditing(null);
            }}
            onBlur={() => setTimeout(() => setEditing((cur) => (cur === editing ? null : cur)), 150)}
          />
        </div>
      )}
      <ul className="tree" role="tree" aria-label="Project tree">
        {rows.map((r) => {
          const p = problems(r.path, r.kind === 'folder');
          const fixed = r.path === MAIN_FILE;
          return (
            <li
              key={`${r.kind}:${r.path}`}
              role="treeitem"
              aria-selected={r.kind === 'file' && r.path === activeFile}
              aria-expanded={r.kind === 'folder' ? !collapsed.has(r.path) : undefined}
              data-path={r.path}
              data-kind={r.kind}
              className={`tree-row ${r.kind} ${r.path === activeFile ? 'active' : ''} ${dropTarget === r.path ? 'drop' : ''}`}
              style={{ paddingLeft: 6 + r.depth * 12 }}
              draggable={!fixed}
              onDragStart={(e) => {
                e.dataTransfer.setData(MOVE_TYPE, r.path);
                e.dataTransfer.effectAllowed = 'move';
              }}
              {...(r.kind === 'folder' ? dropProps(r.path) : {})}
            >
              <button
                className="tree-name"
                onClick={() =>
                  r.kind === 'file'
                    ? st().setActiveFile(r.path)
                    : setCollapsed((c) => {
                        const n = new Set(c);
                        if (n.has(r.path)) n.delete(r.path);
                        else n.add(r.path);
                        return n;
                      })
                }
                onDoubleClick={() => !fixed && setEditing({ mode: r.kind === 'file' ? 'rename-file' : 'rename-folder', target: r.path, value: r.path })}
                title={r.path}
              >
                <span className="tree-icon" aria-hidden="true">
                  {r.kind === 'folder' ? (collapsed.has(r.path) ? '▸' : '▾') : r.path === 'go.mod' || r.path === 'go.sum' ? '◆' : r.path.endsWith('.go') ? '·' : '○'}
                </span>
                {r.name}
                {r.kind === 'folder' && '/'}
                {p.errors > 0 && <span className="badge error">{p.errors}</span>}
                {p.warnings > 0 && <span className="badge warn">{p.warnings}</span>}
              </button>
              <span className="tree-actions">
                {r.kind === 'folder' && (
                  <button className="icon" aria-label={`New file in ${r.path}`} title="New file here" onClick={() => setEditing({ mode: 'file', parent: r.path, value: '' })}>
                    +
                  </button>
                )}
                {!fixed && (
                  <button
                    className="icon"
                    aria-label={`Rename or move ${r.path}`}
                    title="Rename or move (type a new path)"
                    onClick={() => setEditing({ mode: r.kind === 'file' ? 'rename-file' : 'rename-folder', target: r.path, value: r.path })}
                  >
                    ✎
                  </button>
                )}
                {!fixed && (
                  <button
                    className="icon"
                    aria-label={`Delete ${r.path}`}
                    title="Delete"
                    onClick={() => {
                      if (!window.confirm(r.kind === 'folder' ? `Delete folder ${r.path} and everything in it?` : `Delete ${r.path}?`)) return;
                      st().notify(r.kind === 'folder' ? st().deleteFolder(r.path) : st().deleteFile(r.path));
                    }}
                  >
                    ×
                  </button>
                )}
              </span>
            </li>
          );
        })}
        <li role="treeitem" aria-selected={activeFile === CONFIG_FILE} className={`tree-row file config ${activeFile === CONFIG_FILE ? 'active' : ''}`} data-path={CONFIG_FILE} style={{ paddingLeft: 6 }}>
          <button className="tree-name" onClick={() => st().setActiveFile(CONFIG_FILE)} title="The plugin config (not a file of the Go module)">
            <span className="tree-icon" aria-hidden="true">⚙</span>
            {CONFIG_FILE}
          </button>
        </li>
      </ul>
    </nav>
  );
}
