// What the editor's place shows until Monaco has loaded (loadEditor.ts): the
// open file's text, read-only, under a line saying the editor is on its way
// (or that it could not be loaded, with a retry).
import { useStore } from '../state/store';
import { CONFIG_FILE } from '../lib/fileNames';

export function EditorPlaceholder({ failed, onRetry }: { failed?: string | null; onRetry?: () => void }) {
  const files = useStore((s) => s.files);
  const config = useStore((s) => s.config);
  const activeFile = useStore((s) => s.activeFile);
  const active = activeFile === CONFIG_FILE ? { name: CONFIG_FILE, content: config } : (files.find((f) => f.name === activeFile) ?? files[0]);
  return (
    <div className="code-editor editor-placeholder" data-testid="editor-placeholder">
      <div className="editor-placeholder-status muted small" role="status">
        {failed ? (
          <>
            The editor could not be loaded ({failed}).{' '}
            <button className="small" onClick={onRetry}>
              Try again
            </button>
          </>
        ) : (
          'Loading the editor…'
        )}
      </div>
      <pre className="editor-placeholder-text" aria-label={`${active?.name ?? 'file'} (read-only until the editor has loaded)`} tabIndex={0}>
        {active?.content ?? ''}
      </pre>
    </div>
  );
}
