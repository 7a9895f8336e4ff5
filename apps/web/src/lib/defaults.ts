// The scenario a first visit starts with: the repository's hello-world example (the first plugin
// of the Higress "Developing WASM Plugins with Go" guide), bundled as it is in examples/.
import type { SavedRequest, Scenario } from '../api/types';
import helloConfig from '../../../../examples/hello-world/config.yaml?raw';
import helloMain from '../../../../examples/hello-world/main.go?raw';
import helloRequests from '../../../../examples/hello-world/requests.json';

export function defaultRequest(): SavedRequest {
  return structuredClone(helloRequests[0] as SavedRequest);
}

export function defaultScenario(): Scenario {
  return { files: { 'main.go': helloMain }, config: helloConfig, requests: structuredClone(helloRequests as SavedRequest[]) };
}
