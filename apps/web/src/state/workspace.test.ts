import { beforeEach, describe, expect, it } from 'vitest';
import { persisted, sanitizePersisted } from './persistedState';
import { scenarioOf } from './scenario';
import { useStore } from './store';
import { isReadOnlyTabId, readOnlyTabId } from './workspace';

const s = () => useStore.getState();
const SDK = 'github.com/higress-group/proxy-wasm-go-sdk@v0.0.0-20251103120604-77e9cce339d2/proxywasm/hostcall.go';

describe('read-only tabs (SDK sources opened by go to definition)', () => {
  beforeEach(() => {
    s().loadScenario({ files: { 'main.go': 'package main\n', 'util.go': 'package main\n' }, config: 'a: 1\n', requests: [] }, { kind: 'local', forked: false });
  });

  it('opens one at a spot, next to the project tabs, and closing it goes back where it was opened from', () => {
    s().setActiveFile('util.go');
    s().openReadOnly({ path: SDK, text: 'package proxywasm\n' }, 350, 6);
    const id = readOnlyTabId(SDK);
    expect(isReadOnlyTabId(id)).toBe(true);
    expect(s().activeFile).toBe(id);
    expect(s().openTabs).toEqual(['main.go', 'util.go']); // not a project tab
    expect(s().readOnlyTabs).toEqual([{ path: SDK, text: 'package proxywasm\n', from: 'util.go' }]);
    expect(s().reveal).toMatchObject({ file: id, line: 350, column: 6 });

    // Opening it again (another definition in the same file) keeps one tab.
    s().openReadOnly({ path: SDK, text: 'package proxywasm\n' }, 10, 1);
    expect(s().readOnlyTabs).toHaveLength(1);
    expect(s().readOnlyTabs[0].from).toBe('util.go');

    s().closeTab(id);
    expect(s().readOnlyTabs).toEqual([]);
    expect(s().activeFile).toBe('util.go');
  });

  it('is never part of the scenario, a share or the saved state, and goes with the scenario', () => {
    s().openReadOnly({ path: SDK, text: 'package proxywasm\n' }, 1, 1);
    expect(Object.keys(scenarioOf(s()).files)).toEqual(['main.go', 'util.go']);
    const saved = persisted(s());
    expect(JSON.stringify(saved)).not.toContain('proxywasm');
    expect(saved.activeFile).toBe('main.go');
    expect(sanitizePersisted({ ...saved, activeFile: readOnlyTabId(SDK) }, saved).activeFile).toBe('main.go');

    s().loadScenario({ files: { 'main.go': 'package main\n' }, config: '', requests: [] }, { kind: 'local', forked: false });
    expect(s().readOnlyTabs).toEqual([]);
  });
});
