// Start-up, once per page: the server's health, the first
// scenario (a /tour address's lesson, a /p/{id} link, or the hello-world
// example on a first visit), the analysis and speculative builds of the
// sources, and what follows the store for the rest of the page: the theme, the
// address (an edited share is no longer at /p/{id}; Back/Forward on the tour's
// addresses), the global Run shortcut, ending the live session with the tab,
// and the test hook.
import { api } from '../api/client';
import { currentMarkers } from '../editor/loadEditor';
import { shareIdFromPath } from './share';
import { FIRST_VISIT, useStore } from './store';

let started = false;

/** The first scenario: a lesson of the tour, a shared link, else (first visit) the hello-world example when the server has it. */
async function openFirstScenario(healthy: boolean) {
  const s = useStore.getState();
  const shareId = shareIdFromPath(window.location.pathname);
  if (s.tourRoute.view !== 'playground') {
    await s.followAddress();
  } else if (shareId) {
    await s.openShare(shareId);
  } else if (FIRST_VISIT && healthy) {
    try {
      const list = await api.examples();
      if (list.some((e) => e.name === 'hello-world')) await s.openExample('hello-world');
    } catch {
      /* keep the built-in hello-world */
    }
  }
}

/** What follows the store for as long as the page is open. */
function followStore() {
  const root = document.documentElement;
  const apply = (s: ReturnType<typeof useStore.getState>) => {
    root.dataset.theme = s.theme;
    // Editing a shared scenario forks it: the address no longer points at the share.
    if (s.origin.forked && window.location.pathname.startsWith('/p/')) window.history.replaceState(null, '', '/');
  };
  apply(useStore.getState());
  useStore.subscribe((s, prev) => {
    if (s.theme !== prev.theme || s.origin !== prev.origin) apply(s);
  });
  window.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void useStore.getState().run();
    }
  });
  useStore.getState().endSessionOnUnload();
  window.addEventListener('popstate', () => void useStore.getState().followAddress());
  // The e2e tests drive the store and read markers; pages opened normally do not expose them.
  if (import.meta.env.DEV || new URLSearchParams(window.location.search).has('e2e')) {
    (window as unknown as Record<string, unknown>).__playground = { store: useStore, markers: currentMarkers };
  }
}

export async function startUp(): Promise<void> {
  if (started) return;
  started = true;
  followStore();
  const s = useStore.getState();
  const healthy = await s.refreshHealth();
  await openFirstScenario(healthy);
  if (!healthy) s.watchForServer();
  s.watchSourcesForAnalysis();
  s.watchSourcesForSpeculativeBuilds();
  // Tells tests (and anyone curious) that the first scenario is in place.
  document.documentElement.dataset.ready = 'true';
}
