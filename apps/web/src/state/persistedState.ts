// What the store keeps in local storage, and the check applied when it is read
// back. Saved work can be from an older version, edited by hand or cut short;
// anything malformed falls back to the default for that field instead of
// reaching the components (where it would break the page on every load).
import { GatewaySettings, RuntimeName, SavedRequest } from '@playground/shared';
import { CONFIG_FILE, MAIN_FILE } from '../lib/fileNames';
import { readServices, withValidUpstream } from '../lib/services';
import { PANE_IDS, clampEditorWidth, clampRequestHeight } from './layout';
import { LEVELS } from './logs';
import type { ScenarioOrigin } from './origin';
import { newRequestId, type SourceFile, type StoredRequest } from './scenario';
import type { Store } from './store';
import { isReadOnlyTabId, readOnlyTabId } from './workspace';

/** The saved part of the store: the scenario and the layout, never run output (nor read-only SDK tabs). */
export function persisted(s: Store) {
  return {
    files: s.files,
    config: s.config,
    activeFile: isReadOnlyTabId(s.activeFile) ? (s.readOnlyTabs.find((t) => readOnlyTabId(t.path) === s.activeFile)?.from ?? MAIN_FILE) : s.activeFile,
    openTabs: s.openTabs,
    folders: s.folders,
    clock: s.clock,
    services: s.services,
    gateway: s.gateway,
    origin: s.origin,
    requests: s.requests,
    activeRequestId: s.activeRequestId,
    runtime: s.runtime,
    theme: s.theme,
    activePane: s.activePane,
    editorWidth: s.editorWidth,
    requestHeight: s.requestHeight,
    logLevel: s.logLevel,
  };
}

export type Persisted = ReturnType<typeof persisted>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): v is T => allowed.includes(v as T);
const fraction = (v: unknown, clamp: (f: number) => number, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? clamp(v) : fallback;

function files(v: unknown): SourceFile[] | null {
  if (!Array.isArray(v) || !v.every((f) => isRecord(f) && isString(f.name) && isString(f.content))) return null;
  const list = v.map((f) => ({ name: f.name as string, content: f.content as string }));
  const names = new Set(list.map((f) => f.name));
  // The editor and the build need main.go, and one model per path.
  return names.has(MAIN_FILE) && names.size === list.length ? list : null;
}

function requests(v: unknown): StoredRequest[] | null {
  if (!Array.isArray(v)) return null;
  const out: StoredRequest[] = [];
  for (const r of v) {
    if (!isRecord(r)) continue;
    // A path being typed may lack its leading slash; toWire adds it when sending.
    const path = isString(r.path) ? (r.path.startsWith('/') ? r.path : `/${r.path}`) : r.path;
    const parsed = SavedRequest.safeParse({ ...r, path });
    if (parsed.success) out.push({ ...parsed.data, path: r.path as string, id: isString(r.id) && r.id ? r.id : newRequestId() });
  }
  return out.length ? out : null;
}

function origin(v: unknown): ScenarioOrigin | null {
  if (!isRecord(v) || !oneOf(v.kind, ['local', 'example', 'share', 'lesson'] as const) || typeof v.forked !== 'boolean') return null;
  if (v.id !== undefined && !isString(v.id)) return null;
  const solution = v.kind === 'lesson' && v.solution === true && !v.forked;
  return { kind: v.kind, forked: v.forked, ...(isString(v.id) ? { id: v.id } : {}), ...(solution ? { solution: true as const } : {}) };
}

/**
 * The saved fields that are well-formed, each checked against the current
 * (default) state; fields that depend on others (tabs on files, the selected
 * request on the requests) are made consistent.
 */
export function sanitizePersisted(saved: unknown, current: Persisted): Persisted {
  const p = isRecord(saved) ? saved : {};
  const fileList = files(p.files) ?? current.files;
  const exists = (name: unknown): name is string => name === CONFIG_FILE || fileList.some((f) => f.name === name);
  const openTabs = Array.isArray(p.openTabs) ? p.openTabs.filter((t): t is string => exists(t) && t !== CONFIG_FILE) : [];
  const requestList = requests(p.requests) ?? current.requests;
  const services = readServices(p.services) ?? current.services;
  const gateway = GatewaySettings.safeParse(p.gateway ?? { profile: 'higress' }).data ?? current.gateway;
  const runtime = RuntimeName.safeParse(p.runtime);
  return {
    files: fileList,
    config: isString(p.config) ? p.config : current.config,
    activeFile: exists(p.activeFile) ? p.activeFile : MAIN_FILE,
    openTabs: openTabs.length ? [...new Set(openTabs)] : [MAIN_FILE],
    folders: Array.isArray(p.folders) && p.folders.every(isString) ? p.folders : current.folders,
    clock: oneOf(p.clock, ['real', 'virtual'] as const) ? p.clock : current.clock,
    services,
    gateway: withValidUpstream(gateway, services),
    origin: origin(p.origin) ?? current.origin,
    requests: requestList,
    activeRequestId: requestList.some((r) => r.id === p.activeRequestId) ? (p.activeRequestId as string) : requestList[0].id,
    runtime: runtime.success ? runtime.data : current.runtime,
    theme: oneOf(p.theme, ['dark', 'light'] as const) ? p.theme : current.theme,
    activePane: oneOf(p.activePane, PANE_IDS) ? p.activePane : current.activePane,
    editorWidth: fraction(p.editorWidth, clampEditorWidth, current.editorWidth),
    requestHeight: fraction(p.requestHeight, clampRequestHeight, current.requestHeight),
    logLevel: oneOf(p.logLevel, LEVELS) ? p.logLevel : current.logLevel,
  };
}
