// Projects in and out: open one from a .zip (POST /api/import) or a folder
// (read here, keeping what the build uses), download the scenario as a
// runnable bundle (POST /api/export), and add the go.mod and go.sum the last
// build used.
import type { StateCreator } from 'zustand';
import { api } from '../api/client';
import { MAIN_FILE, selectProjectFiles } from '../lib/fileNames';
import { scenarioOf } from './scenario';
import type { ScenarioScope } from './scenarioScope';
import type { Store } from './store';

export interface ProjectFilesSlice {
  /** Opens a project from a .zip (checked by the server); true when it was opened. */
  openZip: (zip: Blob, name?: string) => Promise<boolean>;
  /** Opens a project from picked files (a folder): keeps what the build uses. */
  openFileList: (entries: { path: string; file: File }[], label: string) => Promise<boolean>;
  /** Reads a drop: one .zip goes to the server; folders and files are read here. */
  openDrop: (dt: DataTransfer) => Promise<void>;
  /** The project, config and requests as a runnable bundle. */
  downloadBundle: () => Promise<void>;
  /** Adds go.mod and go.sum as the last build used them (the template's, when the project had none). */
  addModuleFilesFromBuild: () => Promise<void>;
}

async function walk(entry: FileSystemEntry, prefix: string, out: { path: string; file: File }[], depth = 0): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, file });
    return;
  }
  if (depth > 10 || /^(\.git|node_modules|vendor)$/.test(entry.name) || out.length > 2000) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) await walk(child, path, out, depth + 1);
  }
}

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const createProjectFilesSlice: StateCreator<Store, [], [], ProjectFilesSlice> = (_set, get) => {
  /** Opens the project as a new scenario; the requests, services, clock and gateway stay. */
  function loadProject(files: Record<string, string>, config: string | undefined, label: string, skipped: string[]): boolean {
    const s = get();
    if (!(MAIN_FILE in files)) {
      s.notify(`${label} has no main.go at its root, so it is not a plugin project. Nothing was opened.`);
      return false;
    }
    const kept = scenarioOf(s);
    s.openScenario(() => s.loadScenario({ ...kept, files, config: config ?? s.config, services: s.services, clock: s.clock, gateway: s.gateway }, { kind: 'local', forked: false }));
    const n = Object.keys(files).length;
    s.notify(
      `Opened ${label}: ${n} file${n === 1 ? '' : 's'}${config !== undefined ? ' and config.yaml' : ''}.` +
        (skipped.length ? ` Skipped (not used by the build): ${skipped.slice(0, 12).join(', ')}${skipped.length > 12 ? `, … ${skipped.length - 12} more` : ''}.` : ''),
    );
    if (window.location.pathname !== '/') window.history.replaceState(null, '', '/');
    return true;
  }

  /** Reads a project with the busy indicator on; a failure (server, unreadable file, vanished folder) is reported. */
  async function importing(what: string, read: (scope: ScenarioScope) => Promise<boolean>): Promise<boolean> {
    const scope = get().scenarioScope();
    let opened = false;
    await scope.work(
      async (hold) => {
        get().setBusy('import');
        hold(() => get().setBusy(null));
        opened = await read(scope);
      },
      (err) => get().notify(`Could not open ${what}: ${err instanceof Error ? err.message : 'unknown error'}`),
    );
    return opened;
  }

  /** The project in a list of files: Go sources are read first, their //go:embed patterns say which other files the build uses. */
  async function readFileList(scope: ScenarioScope, entries: { path: string; file: File }[], label: string): Promise<boolean> {
    const sources = await scope.until(Promise.all(entries.map((e) => (e.path.endsWith('.go') ? e.file.text() : Promise.resolve(undefined)))));
    const { keep, config, skipped } = selectProjectFiles(entries.map((e, i) => ({ path: e.path, size: e.file.size, text: sources[i] })));
    const byPath = new Map(entries.map((e, i) => [e.path, { file: e.file, text: sources[i] }]));
    const read = (from: string) => {
      const entry = byPath.get(from)!;
      return entry.text !== undefined ? Promise.resolve(entry.text) : entry.file.text();
    };
    const [files, configText] = await scope.until(
      Promise.all([
        Promise.all(keep.map(async (k) => [k.path, await read(k.from)] as const)).then((pairs) => Object.fromEntries(pairs)),
        config ? read(config) : Promise.resolve(undefined),
      ]),
    );
    return loadProject(files, configText, label, skipped);
  }

  return {
    openZip: (zip, name = 'the archive') =>
      importing(name, async (scope) => {
        const res = await scope.api.importZip(zip);
        return loadProject(res.files, res.config, name, res.skipped ?? []);
      }),

    openFileList: (entries, label) => importing(label, (scope) => readFileList(scope, entries, label)),

    openDrop: async (dt) => {
      // The DataTransfer is only readable during the drop event: take everything now.
      const items = [...dt.items].filter((i) => i.kind === 'file');
      const entries = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
      const plainFiles = [...dt.files];
      if (plainFiles.length === 1 && /\.zip$/i.test(plainFiles[0].name) && !entries[0]?.isDirectory) {
        await get().openZip(plainFiles[0], plainFiles[0].name);
        return;
      }
      const dirs = entries.filter((e): e is FileSystemEntry => !!e);
      const label = entries.some((e) => e?.isDirectory) && dirs.length === 1 ? `folder ${dirs[0].name}` : 'the dropped files';
      await importing(label, async (scope) => {
        const out: { path: string; file: File }[] = [];
        if (entries.some((e) => e?.isDirectory)) {
          for (const e of dirs) await walk(e, '', out);
        } else {
          for (const f of plainFiles) out.push({ path: f.webkitRelativePath || f.name, file: f });
        }
        if (!out.length) {
          get().notify('Drop a project folder or a .zip of it (with main.go at its root).');
          return false;
        }
        return readFileList(scope, out, label);
      });
    },

    downloadBundle: async () => {
      const s = get();
      if (s.busy) return;
      const scope = s.scenarioScope();
      await scope.work(
        async (hold) => {
          s.setBusy('export');
          hold(() => get().setBusy(null));
          const { files, config, requests } = scenarioOf(s);
          const blob = await api.exportZip({ files, config, requests });
          const base = s.origin.kind === 'example' && s.origin.id ? s.origin.id : 'plugin';
          saveBlob(blob, `${base}.zip`);
        },
        (err) => get().notify(`Download failed: ${err instanceof Error ? err.message : 'unknown error'}`),
      );
    },

    addModuleFilesFromBuild: async () => {
      const s = get();
      if (!s.buildId) {
        s.notify('Run once first: the go.mod and go.sum of that build are then added to the project.');
        return;
      }
      const buildId = s.buildId;
      const scope = s.scenarioScope();
      await scope.work(
        async () => {
          const info = await scope.api.buildInfo(buildId);
          for (const [name, content] of [['go.mod', info.goMod], ['go.sum', info.goSum]] as const) {
            if (!content) continue;
            if (get().files.some((f) => f.name === name)) get().setFileContent(name, content);
            else get().addFile(name, content);
          }
          get().notify('Added go.mod and go.sum as the last build used them. Change the module path freely; imports of your sub-packages use it.');
        },
        (err) => get().notify(`Adding go.mod failed: ${err instanceof Error ? err.message : 'unknown error'}`),
      );
    },
  };
};
