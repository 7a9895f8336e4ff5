// Shows the link the Share button made, ready to copy.
import { Dialog } from './Dialog';

export function ShareDialog({ link, onClose }: { link: string | null; onClose: () => void }) {
  return (
    <Dialog title="Share" open={link !== null} onClose={onClose}>
      <p>Anyone with this link gets these files, config and requests. Editing them makes their own copy.</p>
      <div className="share-link">
        <input readOnly aria-label="Share link" value={link ?? ''} onFocus={(e) => e.target.select()} data-testid="share-link" />
        <button onClick={() => link && void navigator.clipboard?.writeText(link).catch(() => {})}>Copy</button>
      </div>
    </Dialog>
  );
}
