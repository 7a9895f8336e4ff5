// Examples: open one of the server's example plugins (GET /api/examples/{name})
// as the scenario on screen.
import type { StateCreator } from 'zustand';
import { failureOutcome } from '../lib/outcome';
import type { Store } from './store';

export interface ExamplesSlice {
  /** Opens example `name`; true when it is on screen. */
  openExample: (name: string) => Promise<boolean>;
}

export const createExamplesSlice: StateCreator<Store, [], [], ExamplesSlice> = (_set, get) => ({
  openExample: async (name) => {
    const scope = get().scenarioScope();
    let opened = false;
    await scope.work(
      async () => {
        const example = await scope.api.example(name);
        get().openScenario(() => get().loadScenario(example, { kind: 'example', id: name, forked: false }));
        get().setExamplesOpen(false);
        // An example opens in the playground (from a share's address, or from the tour).
        if (window.location.pathname !== '/') void get().navigate('/', { replace: true });
        opened = true;
      },
      (err) => get().notify(`Could not open example ${name}: ${failureOutcome(err).detail}`),
    );
    return opened;
  },
});
