// The note beside the editor's tabs saying whether Go intelligence (gopls:
// completion, hover, go to definition, type errors while typing) is on, and
// why not when it is off. Part of the shell (no Monaco): it reads the store
// (state/intelligence.ts), which the editor's chunk keeps up to date.
// The tabs come first: when they need the room, the words give way down to the
// coloured dot, so the title says everything the words say.
import { intelligenceNote } from '../state/intelligence';
import { useStore } from '../state/store';

export function IntelligenceNote() {
  const health = useStore((s) => s.health);
  const view = useStore((s) => s.intelligence);
  const note = intelligenceNote(health, view);
  if (!note) return null;
  return (
    <span
      className={`intelligence-note ${note.state}`}
      data-testid="intelligence"
      data-state={note.state}
      title={`Go intelligence: ${note.text}. ${note.title}`}
      role="status"
    >
      <span className="intelligence-dot" aria-hidden="true" />
      <span className="intelligence-words">Go intelligence: {note.text}</span>
    </span>
  );
}
