// Higress imports the playground cannot serve (no cluster membership) and a stub for any
// other unknown `env.*` import, so every plugin instantiates. They answer a proper WasmResult and
// leave a host warning; they never throw into the plugin.
import { WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

export function stubImports(h: HostEnv) {
  return {
    proxy_get_upstream_hosts(): number {
      h.hostWarn('proxy_get_upstream_hosts: no cluster membership in the playground', 'upstream_hosts');
      return WasmResult.NotFound;
    },
    proxy_set_upstream_override_host(hp: number, hl: number): number {
      h.hostWarn(`proxy_set_upstream_override_host("${h.mem.readString(hp, hl)}") ignored: the playground has one upstream`, 'override_host');
      return WasmResult.Ok;
    },
  };
}

export function unknownImport(h: HostEnv, name: string): () => number {
  return () => {
    h.hostWarn(`env.${name} is not implemented by this host`, `unknown:${name}`);
    return WasmResult.Unimplemented;
  };
}
