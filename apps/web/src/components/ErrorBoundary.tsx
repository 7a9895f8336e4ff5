// The last line of defence: if rendering the page throws (for instance on
// saved work this version cannot show), say so and offer to start clean
// instead of leaving a blank page that breaks again on every reload.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { resetSavedWork } from '../state/store';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('The playground failed to render', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <h1>The playground could not be shown</h1>
        <p>
          Something in this page failed: <code>{error.message}</code>
        </p>
        <p>
          If it happens again after a reload, your saved work (kept in this browser) is probably what breaks it. Resetting it brings back the
          default example; shared links and downloaded .zip files are not affected.
        </p>
        <div className="crash-actions">
          <button onClick={() => window.location.reload()}>Reload</button>
          <button className="primary" onClick={resetSavedWork}>
            Reset saved work
          </button>
        </div>
      </div>
    );
  }
}
