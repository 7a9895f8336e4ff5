// The saved requests of the scenario; one is selected in the request builder.
import type { StateCreator } from 'zustand';
import type { HttpRequestMessage, SavedRequest } from '../api/types';
import { defaultRequest } from '../lib/defaults';
import { edited } from './filesSlice';
import type { Store } from './store';

export interface StoredRequest extends SavedRequest {
  id: string;
}

export interface RequestsSlice {
  requests: StoredRequest[];
  activeRequestId: string;
  selectRequest: (id: string) => void;
  updateRequest: (id: string, patch: Partial<Omit<StoredRequest, 'id'>>) => void;
  addRequest: (from?: Partial<SavedRequest>) => string;
  removeRequest: (id: string) => void;
  replaceRequests: (requests: Partial<SavedRequest>[]) => void;
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

export const createRequestsSlice: StateCreator<Store, [], [], RequestsSlice> = (set, get) => {
  const first = toStored(defaultRequest());
  return {
    requests: [first],
    activeRequestId: first.id,
    selectRequest: (id) => set({ activeRequestId: id }),
    updateRequest: (id, patch) =>
      set((s) => ({
        requests: s.requests.map((r) => (r.id === id ? { ...r, ...patch } : r)),
        origin: edited(s.origin),
      })),
    addRequest: (from) => {
      const base: Partial<SavedRequest> = from ?? { method: 'GET', path: '/get', headers: [], body: '' };
      const r = toStored({ ...base, name: base.name ? `${base.name} (copy)` : undefined });
      set((s) => ({ requests: [...s.requests, r], activeRequestId: r.id, origin: edited(s.origin) }));
      return r.id;
    },
    removeRequest: (id) => {
      const rest = get().requests.filter((r) => r.id !== id);
      const requests = rest.length ? rest : [toStored(defaultRequest())];
      set((s) => ({
        requests,
        activeRequestId: s.activeRequestId === id ? requests[0].id : s.activeRequestId,
        origin: edited(s.origin),
      }));
    },
    replaceRequests: (list) => {
      const requests = (list.length ? list : [defaultRequest()]).map(toStored);
      set({ requests, activeRequestId: requests[0].id });
    },
  };
};
