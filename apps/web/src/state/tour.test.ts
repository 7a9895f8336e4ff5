import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Lesson } from '../api/types';
import { useStore } from './store';
import { attemptHash, lessonScenario, readProgress, routeOf } from './tour';

const s = () => useStore.getState();

const lesson: Lesson = {
  slug: '01-request-headers',
  title: 'Request headers',
  text: '# Request headers\n\nAdd `x-greeting`.',
  files: { 'main.go': 'package main\n// TODO\n' },
  config: '# none\n',
  requests: [{ name: 'GET /headers', method: 'GET', path: '/headers', headers: [], body: '' }],
  expectations: [{ description: 'the upstream receives x-greeting: hello', request: 0, upstreamHeader: { name: 'x-greeting', value: 'hello' } }],
  solution: { 'main.go': 'package main\n// solved\n', 'util.go': 'package main\n' },
  solutionConfig: 'greeting: hello\n',
};

describe('tour routes', () => {
  it('reads /tour, /tour/{n} and /tour/{slug}; anything else is the playground', () => {
    expect(routeOf('/tour')).toEqual({ view: 'index' });
    expect(routeOf('/tour/')).toEqual({ view: 'index' });
    expect(routeOf('/tour/3')).toEqual({ view: 'lesson', key: '3' });
    expect(routeOf('/tour/01-request-headers')).toEqual({ view: 'lesson', key: '01-request-headers' });
    expect(routeOf('/tour/0')).toEqual({ view: 'index' });
    expect(routeOf('/tour/..')).toEqual({ view: 'index' });
    expect(routeOf('/')).toEqual({ view: 'playground' });
    expect(routeOf('/p/abc')).toEqual({ view: 'playground' });
    expect(routeOf('/tours')).toEqual({ view: 'playground' });
  });
});

describe('tour progress as saved', () => {
  it('keeps the slugs of lessons passed and drops anything malformed', () => {
    expect(readProgress({ passed: ['01-a', '02-b', '01-a'] })).toEqual(['01-a', '02-b']);
    expect(readProgress({ passed: ['01-a', 7, null, '<script>', '../x', { slug: '02-b' }] })).toEqual(['01-a']);
    for (const bad of [null, 'x', 42, [], ['01-a'], { passed: '01-a' }, { passed: { 0: '01-a' } }]) expect(readProgress(bad)).toEqual([]);
  });
});

describe('a lesson on screen', () => {
  let answers: Response[];
  beforeEach(() => {
    answers = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answers.shift() ?? new Response('{}', { status: 500 })),
    );
    s().loadScenario(lessonScenario(lesson), { kind: 'lesson', id: lesson.slug, forked: false });
    useStore.setState({ lesson, lessonNumber: 1, tourCheck: { state: 'idle' }, passedLessons: [] });
  });
  afterEach(() => vi.unstubAllGlobals());

  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('checks the learner code with the lesson requests and expectations, and shows each result', async () => {
    s().setFileContent('main.go', 'package main\n// attempt\n');
    answers.push(json({ passed: false, results: [{ description: 'the upstream receives x-greeting: hello', passed: false, seen: 'the upstream request has no x-greeting header' }], build: { ok: true } }));
    await s().checkLesson();
    const fetch = vi.mocked(globalThis.fetch);
    expect(fetch.mock.calls[0][0]).toBe('/api/check');
    expect(JSON.parse(String(fetch.mock.calls[0][1]!.body))).toEqual({
      files: { 'main.go': 'package main\n// attempt\n' },
      config: '# none\n',
      requests: lesson.requests,
      expectations: lesson.expectations,
    });
    const check = s().tourCheck;
    expect(check.state === 'done' && check.result.results[0].seen).toBe('the upstream request has no x-greeting header');
    expect(check.state === 'done' && check.hash).toBe(attemptHash(s()));
    expect(s().passedLessons).toEqual([]);
  });

  it('marks the lesson passed when every expectation holds', async () => {
    answers.push(json({ passed: true, results: [{ description: 'x', passed: true }], build: { ok: true } }));
    await s().checkLesson();
    expect(s().passedLessons).toEqual([lesson.slug]);
  });

  it('does not send a config.yaml that is not YAML, and says why', async () => {
    s().setConfig('a: [1,\n');
    await s().checkLesson();
    expect(vi.mocked(globalThis.fetch)).not.toHaveBeenCalled();
    expect(s().tourCheck).toMatchObject({ state: 'failed', message: expect.stringMatching(/config\.yaml line/) });
  });

  it('reports a check the server refused as a failure of the check', async () => {
    answers.push(json({ error: 'too many requests' }, 429));
    await s().checkLesson();
    expect(s().tourCheck).toMatchObject({ state: 'failed', message: expect.stringContaining('too many requests') });
  });

  it('reveals the solution: its files and config, and the origin says the solution is shown until the next edit', () => {
    s().setFileContent('main.go', 'package main\n// attempt\n');
    s().revealSolution();
    expect(s().files.map((f) => [f.name, f.content])).toEqual([
      ['main.go', 'package main\n// solved\n'],
      ['util.go', 'package main\n'],
    ]);
    expect(s().config).toBe('greeting: hello\n');
    expect(s().origin).toEqual({ kind: 'lesson', id: lesson.slug, forked: false, solution: true });
    expect(s().activeFile).toBe('main.go');
    s().setFileContent('main.go', 'package main\n// solved, then edited\n');
    expect(s().origin).toEqual({ kind: 'lesson', id: lesson.slug, forked: true });
  });
});
