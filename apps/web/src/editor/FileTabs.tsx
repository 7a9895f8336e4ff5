// The tabs above the editor: the open project files and config.yaml (always
// there). A tab shows its error/warning count; × closes it (the file stays in
// the tree).
import { useMemo } from 'react';
import { CONFIG_FILE } from '../lib/fileNames';
import { useStore } from '../state/store';
import { mergeDiagnostics } from './markers';

export function FileTabs() {
  const files = useStore((s) => s.files);
  const openTabs = useStore((s) => s.openTabs);
  const activeFile = useStore((s) => s.activeFile);
  const build = useStore((s) => s.build);
  const analysis = useStore((s) => s.analysis);
  const setActiveFile = useStore((s) => s.setActiveFile);
  const closeTab = useStore((s) => s.closeTab);
  const diagnostics = useMemo(() => mergeDiagnostics(build, analysis), [build, analysis]);

  const existing = new Set(files.map((f) => f.name));
  const names = [...openTabs.filter((t) => existing.has(t)), CONFIG_FILE];
  const count = (name: string, sev: 'error' | 'warning') =>
    diagnostics.filter((d) => d.file === name && (sev === 'warning' ? d.severity === 'warning' : d.severity !== 'warning')).length;

  return (
    <div className="file-tabs" role="tablist" aria-label="Open files">
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
    </div>
  );
}
