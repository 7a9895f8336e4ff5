// Entry point: sets up the bundled Monaco, renders the app inside the error
// boundary that offers to reset saved work, and starts it up (state/startup.ts).
import './editor/monacoSetup';
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
