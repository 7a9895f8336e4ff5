// The scenario: exactly what a share holds (@playground/shared's Scenario) —
// the plugin's files, its YAML config, the saved requests, the services the
// gateway has, the clock and the gateway settings — and the edits of each.
// Every edit marks a shared or example scenario as the user's own copy
// (origin.ts); loading one replaces all of it and starts the panes afresh.
import type { StateCreator } from 'zustand';
import type { GatewaySettings, HttpRequestMessage, SavedRequest, Scenario, Service } from '../api/types';
import { defaultRequest, defaultScenario } from '../lib/defaults';
import { CONFIG_FILE, MAIN_FILE, comparePaths } from '../lib/fileNames';
import { readServices, withValidUpstream } from '../lib/services';
import type { ScenarioOrigin } from './origin';
import type { Store } from './store';

export interface SourceFile {
  /** A relative path: `main.go`, `provider/openai.go`, `go.mod`. */
  name: string;
  content: string;
}

/** A saved request as the request builder keeps it: with an id, the path as typed. */
export interface StoredRequest extends SavedRequest {
  id: string;
}

export type Clock = NonNullable<Scenario['clock']>;

export interface ScenarioSlice {
  files: SourceFile[];
  config: string;
  requests: StoredRequest[];
  /** The services the gateway has: HTTP callouts, Redis, the LLM stand-in. */
  services: Service[];
  clock: Clock;
  /** The gateway the session reproduces: a profile and the settings changed from it. */
  gateway: GatewaySettings;
  setFileContent: (name: string, content: string) => void;
  setConfig: (config: string) => void;
  /** Replaces the file list (the project tree's adds, moves and deletes). */
  setFiles: (files: SourceFile[]) => void;
  updateRequest: (id: string, patch: Partial<Omit<StoredRequest, 'id'>>) => void;
  /** Adds a request (a copy of `from`, or a blank GET) and selects it; returns its id. */
  addRequest: (from?: Partial<SavedRequest>) => string;
  removeRequest: (id: string) => void;
  replaceRequests: (requests: Partial<SavedRequest>[]) => void;
  setServices: (s: Service[]) => void;
  setClock: (c: Clock) => void;
  setGateway: (g: GatewaySettings) => void;
  /** Shows `scenario` as it came from `origin`, with fresh tabs and empty output panes. */
  loadScenario: (scenario: Scenario, origin: ScenarioOrigin) => void;
}

export function filesRecord(files: SourceFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.name, f.content]));
}

function orderFiles(files: Record<string, string>): SourceFile[] {
  const names = Object.keys(files).filter((n) => n !== CONFIG_FILE);
  if (!names.includes(MAIN_FILE)) names.push(MAIN_FILE);
  names.sort(comparePaths);
  return names.map((name) => ({ name, content: files[name] ?? '' }));
}

let counter = 0;
export const newRequestId = () => `r${Date.now().toString(36)}${(counter++).toString(36)}`;

export function toStored(r: Partial<SavedRequest>): StoredRequest {
  const method = (r.method || 'GET').toUpperCase();
  const path = r.path || '/';
  return {
    id: newRequestId(),
    name: r.name || `${method} ${path}`,
    method,
    path,
    headers: (r.headers ?? []).map(([n, v]) => [n, v] as [string, string]),
    body: r.body ?? '',
    ...(r.route ? { route: r.route } : {}),
    ...(r.service ? { service: r.service } : {}),
    ...(r.clientAddress ? { clientAddress: r.clientAddress } : {}),
    ...(r.bodyChunks ? { bodyChunks: r.bodyChunks } : {}),
  };
}

/** The request as sent to the API (no UI fields, no blank header rows). */
export function toWire(r: StoredRequest): HttpRequestMessage {
  return {
    method: r.method.toUpperCase(),
    path: r.path.startsWith('/') ? r.path : `/${r.path}`,
    headers: r.headers.filter(([n]) => n.trim() !== ''),
    body: r.body,
    ...(r.route?.trim() ? { route: r.route.trim() } : {}),
    ...(r.service?.trim() ? { service: r.service.trim() } : {}),
    ...(r.clientAddress?.trim() ? { clientAddress: r.clientAddress.trim() } : {}),
    ...(r.bodyChunks?.length ? { bodyChunks: r.bodyChunks } : {}),
  };
}

/** The request the request builder has selected (the first one when none is). */
export function selectedRequest(s: Pick<Store, 'requests' | 'activeRequestId'>, id = s.activeRequestId): StoredRequest {
  return s.requests.find((r) => r.id === id) ?? s.requests[0];
}

type ScenarioFields = Pick<ScenarioSlice, 'files' | 'config' | 'requests' | 'services' | 'clock' | 'gateway'>;

/** The session options beyond the config, present only when they differ from the defaults (so shares stay small). */
export function sessionOptions(s: Pick<ScenarioSlice, 'services' | 'clock' | 'gateway'>): Pick<Scenario, 'services' | 'clock' | 'gateway'> {
  const services = s.services.filter((x) => x.name.trim());
  const gatewayIsDefault = s.gateway.profile === 'higress' && Object.keys(s.gateway).length === 1;
  return {
    ...(s.clock === 'virtual' ? { clock: 'virtual' as const } : {}),
    ...(services.length ? { services } : {}),
    ...(gatewayIsDefault ? {} : { gateway: s.gateway }),
  };
}

/** The scenario on screen as a share (or a bundle) holds it. */
export function scenarioOf(s: ScenarioFields): Scenario {
  return {
    files: filesRecord(s.files),
    config: s.config,
    requests: s.requests.map((r) => ({ name: r.name, ...toWire(r) })),
    ...sessionOptions(s),
  };
}

/** The scenario's fields as they are, to tell later whether any of them changed. */
export const scenarioFields = (s: ScenarioFields): unknown[] => [s.files, s.config, s.requests, s.services, s.clock, s.gateway];

export const createScenarioSlice: StateCreator<Store, [], [], ScenarioSlice> = (set, get) => {
  const initial = defaultScenario();
  const first = toStored(defaultRequest());
  /** Applies an edit; a shared or example scenario is the user's own copy from then on. */
  const edit = (change: Partial<ScenarioFields> | ((s: Store) => Partial<ScenarioFields>)) => {
    set(change);
    get().markEdited();
  };
  return {
    files: orderFiles(initial.files),
    config: initial.config,
    requests: [first],
    services: [],
    clock: 'real',
    gateway: { profile: 'higress' },

    setFileContent: (name, content) => {
      const current = get().files.find((f) => f.name === name);
      if (current && current.content !== content) edit((s) => ({ files: s.files.map((f) => (f.name === name ? { ...f, content } : f)) }));
    },
    setConfig: (config) => {
      if (get().config !== config) edit({ config });
    },
    setFiles: (files) => edit({ files: [...files].sort((a, b) => comparePaths(a.name, b.name)) }),

    updateRequest: (id, patch) => edit((s) => ({ requests: s.requests.map((r) => (r.id === id ? { ...r, ...patch } : r)) })),
    addRequest: (from) => {
      const base: Partial<SavedRequest> = from ?? { method: 'GET', path: '/get', headers: [], body: '' };
      const r = toStored({ ...base, name: base.name ? `${base.name} (copy)` : undefined });
      edit((s) => ({ requests: [...s.requests, r] }));
      get().selectRequest(r.id);
      return r.id;
    },
    removeRequest: (id) => {
      const rest = get().requests.filter((r) => r.id !== id);
      const requests = rest.length ? rest : [toStored(defaultRequest())];
      edit({ requests });
      if (get().activeRequestId === id) get().selectRequest(requests[0].id);
    },
    replaceRequests: (list) => {
      const requests = (list.length ? list : [defaultRequest()]).map(toStored);
      set({ requests });
      get().selectRequest(requests[0].id);
    },

    // A route to an LLM service that was removed or renamed goes back to httpbin.
    setServices: (services) => edit((s) => ({ services, gateway: withValidUpstream(s.gateway, services) })),
    setClock: (clock) => {
      edit({ clock });
      get().clearClockLog();
    },
    setGateway: (gateway) => edit({ gateway }),

    loadScenario: (scenario, origin) => {
      // Shares stored before services had a kind hold HTTP services without one.
      const services = readServices(scenario.services) ?? [];
      set({
        files: orderFiles(scenario.files),
        config: scenario.config ?? '',
        services,
        clock: scenario.clock ?? 'real',
        gateway: withValidUpstream(scenario.gateway ?? { profile: 'higress' }, services),
      });
      get().setOrigin(origin);
      get().resetWorkspace();
      get().replaceRequests(scenario.requests ?? []);
      get().resetOutput();
    },
  };
};
