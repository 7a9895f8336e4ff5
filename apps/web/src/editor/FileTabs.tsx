// The tabs above the editor: the open project files, config.yaml (always
// there), then read-only sources outside the project (the SDK's, opened by go
// to definition). A tab shows its error/warning count; × closes it (the file
// stays in the tree). At the right end, whether Go intelligence is on.
import { useEffect, useMemo, useRef } from 'react';
import { CONFIG_FILE } from '../lib/fileNames';
import { useStore } from '../state/store';
import { readOnlyTabId } from '../state/workspace';
import { IntelligenceNote } from './IntelligenceNote';
import { mergeDiagnostics } from './markers';

export function FileTabs() {
  const files = useStore((s) => s.files);
  const openTabs = useStore((s) => s.openTabs);
  const activeFile = useStore((s) => s.activeFile);
  const readOnlyTabs = useStore((s) => s.readOnlyTabs);
  const build = useStore((s) => s.build);
  const analysis = useStore((s) => s.analysis);
  const setActiveFile = useStore((s) => s.setActiveFile);
  const closeTab = useStore((s) => s.closeTab);
  const diagnostics = useMemo(() => mergeDiagnostics(build, analysis), [build, analysis]);
  const strip = useRef<HTMLDivElement>(null);

  // The active tab in view (an SDK tab opened by go to definition lands past the strip's right end);
  // the strip's own scroll only, never the page's.
  useEffect(() => {
    const el = strip.current;
    const tab = el?.querySelector<HTMLElement>('.tab.active');
    if (!el || !tab) return;
    const left = tab.offsetLeft; // .file-tabs is positioned: its offsetParent
    if (left < el.scrollLeft) el.scrollLeft = left;
    else if (left + tab.offsetWidth > el.scrollLeft + el.clientWidth) el.scrollLeft = left + tab.offsetWidth - el.clientWidth;
  }, [activeFile, readOnlyTabs]);

  const existing = new Set(files.map((f) => f.name));
  const names = [...openTabs.filter((t) => existing.has(t)), CONFIG_FILE];
  const count = (name: string, sev: 'error' | 'warning') =>
    diagnostics.filter((d) => d.file === name && (sev === 'warning' ? d.severity === 'warning' : d.severity !== 'warning')).length;

  return (
    <div className="file-tabs-row">
      <div className="file-tabs" role="tablist" aria-label="Open files" ref={strip}>
        {names.map((name) => {
          const errors = count(name, 'error');
          const warnings = count(name, 'warning');
          const base = name.split('/').pop();
          return (
            <span key={name} className={`tab ${name === activeFile ? 'active' : ''}`} title={name}>
              <button role="tab" aria-selected={name === activeFile} aria-label={`Open ${name}`} className="tab-button" onClick={() => setActiveFile(name)}>
                {base !== name && <span className="muted">{name.slice(0, name.length - base!.length)}</span>}
                {base}
                {errors > 0 && <span className="badge error" aria-label={`${errors} errors`}>{errors}</span>}
                {warnings > 0 && <span className="badge warn" aria-label={`${warnings} warnings`}>{warnings}</span>}
              </button>
              {name !== CONFIG_FILE && (
                <button className="icon tab-close" aria-label={`Close ${name}`} title="Close tab" onClick={() => closeTab(name)}>
                  ×
                </button>
              )}
            </span>
          );
        })}
        {readOnlyTabs.map(({ path }) => {
          const id = readOnlyTabId(path);
          const dirs = path.split('/');
          const base = dirs.pop();
          return (
            <span key={id} className={`tab read-only ${id === activeFile ? 'active' : ''}`} title={`${path} (read-only)`} data-read-only={path}>
              <button role="tab" aria-selected={id === activeFile} aria-label={`Open ${path} (read-only)`} className="tab-button" onClick={() => setActiveFile(id)}>
                {dirs.length > 0 && <span className="muted">{dirs[dirs.length - 1]}/</span>}
                {base}
                <span className="badge">read-only</span>
              </button>
              <button className="icon tab-close" aria-label={`Close ${path}`} title="Close tab" onClick={() => closeTab(id)}>
                ×
              </button>
            </span>
          );
        })}
      </div>
      <IntelligenceNote />
    </div>
  );
}
