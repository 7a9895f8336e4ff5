import { describe, expect, it } from 'vitest';
import { persisted, sanitizePersisted } from './persistedState';
import { useStore } from './store';

const defaults = () => persisted(useStore.getState());

describe('sanitizePersisted', () => {
  it('keeps well-formed saved work', () => {
    const saved = {
      ...defaults(),
      files: [
        { name: 'main.go', content: 'package main\n' },
        { name: 'lib/a.go', content: 'package lib\n' },
      ],
      activeFile: 'lib/a.go',
      openTabs: ['main.go', 'lib/a.go'],
      requests: [{ id: 'r1', name: 'x', method: 'POST', path: 'post', headers: [['a', '1']], body: 'b' }],
      activeRequestId: 'r1',
      services: [{ name: 'token-service', status: 200, headers: [], body: '{}' }],
      theme: 'light',
      editorWidth: 0.6,
    };
    const out = sanitizePersisted(saved, defaults());
    expect(out.files.map((f) => f.name)).toEqual(['main.go', 'lib/a.go']);
    expect(out.activeFile).toBe('lib/a.go');
    expect(out.requests).toEqual([{ id: 'r1', name: 'x', method: 'POST', path: 'post', headers: [['a', '1']], body: 'b' }]);
    expect(out.activeRequestId).toBe('r1');
    expect(out.services[0].name).toBe('token-service');
    expect(out.theme).toBe('light');
    expect(out.editorWidth).toBe(0.6);
  });

  it('loads services saved before they had a kind as HTTP services, and services of every kind', () => {
    const services = [
      { name: 'token-service', status: 200, headers: [], body: '{}' },
      { kind: 'redis', name: 'redis', password: 'secret' },
      { kind: 'llm', name: 'llm-openai', models: ['gpt-4o'], chunkDelayMs: 30, failStatus: 429 },
    ];
    const out = sanitizePersisted({ services, gateway: { profile: 'higress', upstream: 'llm-openai' } }, defaults());
    expect(out.services).toEqual([{ kind: 'http', name: 'token-service', status: 200, headers: [], body: '{}' }, services[1], services[2]]);
    expect(out.gateway).toEqual({ profile: 'higress', upstream: 'llm-openai' });
    // A route to a service that is not there (edited by hand, cut short) goes to httpbin.
    expect(sanitizePersisted({ services: services.slice(0, 2), gateway: { profile: 'higress', upstream: 'llm-openai' } }, defaults()).gateway).toEqual({ profile: 'higress' });
  });

  it('falls back to the defaults field by field for anything malformed', () => {
    const d = defaults();
    const out = sanitizePersisted(
      {
        files: [{ name: 'main.go', content: 42 }],
        config: null,
        activeFile: 'gone.go',
        openTabs: 'main.go',
        folders: [1],
        clock: 'sundial',
        services: [{ status: 200 }],
        origin: { kind: 'share', forked: 'yes' },
        requests: [{ method: 'GET' }, 'x'],
        activeRequestId: 'nope',
        runtime: 'wasmer',
        theme: 'pink',
        activePane: 'nowhere',
        editorWidth: Number.NaN,
        requestHeight: '0.3',
        logLevel: 'loud',
      },
      d,
    );
    expect(out).toEqual({ ...d, activeFile: 'main.go', openTabs: ['main.go'], activeRequestId: d.requests[0].id });
  });

  it('needs main.go and unique paths; drops tabs of missing files; clamps sizes', () => {
    const d = defaults();
    expect(sanitizePersisted({ files: [{ name: 'a.go', content: '' }] }, d).files).toBe(d.files);
    expect(sanitizePersisted({ files: [{ name: 'main.go', content: '' }, { name: 'main.go', content: 'x' }] }, d).files).toBe(d.files);
    const out = sanitizePersisted({ openTabs: ['main.go', 'ghost.go', 'main.go'], editorWidth: 5 }, d);
    expect(out.openTabs).toEqual(['main.go']);
    expect(out.editorWidth).toBe(0.75);
  });

  it('keeps a lesson of the tour as the origin (the learner\'s attempt, or its solution), and no unknown kind', () => {
    const attempt = { kind: 'lesson', id: '01-request-headers', forked: true };
    expect(sanitizePersisted({ origin: attempt }, defaults()).origin).toEqual(attempt);
    const solution = { kind: 'lesson', id: '01-request-headers', forked: false, solution: true };
    expect(sanitizePersisted({ origin: solution }, defaults()).origin).toEqual(solution);
    expect(sanitizePersisted({ origin: { ...solution, kind: 'example' } }, defaults()).origin).toEqual({ kind: 'example', id: '01-request-headers', forked: false });
    expect(sanitizePersisted({ origin: { kind: 'course', id: 'x', forked: true } }, defaults()).origin).toEqual(defaults().origin);
  });

  it('survives saved values that are not objects at all', () => {
    for (const v of [null, undefined, 'text', 3, []]) expect(sanitizePersisted(v, defaults())).toEqual({ ...defaults(), activeFile: 'main.go', openTabs: ['main.go'] });
  });
});
