// A dismissible one-line notice (share link problems, rename errors, …).
import { useStore } from '../state/store';

export function Notice() {
  const notice = useStore((s) => s.notice);
  const notify = useStore((s) => s.notify);
  if (!notice) return null;
  return (
    <div className="notice" role="alert">
      <span>{notice}</span>
      <button className="icon" aria-label="Dismiss notice" onClick={() => notify(null)}>
        ×
      </button>
    </div>
  );
}
