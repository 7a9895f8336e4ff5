// Where the editor goes: the placeholder (the open file's text, read-only)
// while the editor's chunk loads after the shell painted, then Monaco
// (CodeEditor, from that chunk).
import { useEffect, useState } from 'react';
import { EditorPlaceholder } from './EditorPlaceholder';
import { loadEditor, loadedEditor, type EditorModule } from './loadEditor';

export function EditorHost() {
  const [editor, setEditor] = useState<EditorModule | null>(loadedEditor);
  const [failed, setFailed] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // An effect, not a load during render: the shell is committed (and painted) first.
  useEffect(() => {
    if (editor) return;
    let live = true;
    loadEditor().then(
      (m) => live && setEditor(m),
      (err: unknown) => live && setFailed(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [editor, attempt]);

  if (editor) return <editor.CodeEditor />;
  return (
    <EditorPlaceholder
      failed={failed}
      onRetry={() => {
        setFailed(null);
        setAttempt((n) => n + 1);
      }}
    />
  );
}
