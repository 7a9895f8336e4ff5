// A click on one of the tour's links goes through the store's navigate (the
// page stays, the address changes); a click meant for a new tab or window
// (a modifier key, another button) is left to the browser.
import type { MouseEvent } from 'react';
import { useStore } from '../state/store';

export function useTourLink() {
  const navigate = useStore((s) => s.navigate);
  return (path: string) => ({
    href: path,
    onClick: (e: MouseEvent<HTMLAnchorElement>) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      void navigate(path);
    },
  });
}
