// Entry point: renders the app inside the error boundary that offers to reset
// saved work, and starts it up (state/startup.ts). Monaco is not imported from
// here: the shell paints without it, and editor/EditorHost.tsx loads the
// editor's chunk (editor/loadEditor.ts) once the shell is on screen.
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { startUp } from './state/startup';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
void startUp();
