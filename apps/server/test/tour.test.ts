// The guided tour: every lesson in tour/ is served by the API, its starting code builds and runs but
// fails its own check, and its solution passes it, through real builds, the embedded host and a
// real httpbin (POST /api/check).
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tourDir } from '../src/toolchain/paths.js';
import { startServer, type TestServer } from './support/server.js';

// The lessons as the catalog finds them (folders named NN-slug), known before the server starts so
// that each gets a test of its own; the first test checks that the API lists the same ones.
const slugs = readdirSync(tourDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^\d\d-[a-z0-9-]+$/.test(e.name))
  .map((e) => e.name)
  .sort();

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read API answers loosely
async function lesson(key: string): Promise<any> {
  const res = await server.get(`/api/tour/${key}`);
  expect(res.status, `GET /api/tour/${key}`).toBe(200);
  return res.json();
}

/** What a check run printed for a lesson author: each expectation, and what was seen instead. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function report(slug: string, which: string, json: any): string {
  const lines = [`${slug} (${which}): passed=${json.passed}${json.error ? `, error: ${json.error}` : ''}`];
  if (json.build?.output) lines.push(json.build.output);
  for (const r of json.results ?? []) lines.push(`  ${r.passed ? 'ok  ' : 'FAIL'} ${r.description}${r.seen ? ` (seen: ${r.seen})` : ''}`);
  return lines.join('\n');
}

describe('the tour catalog', () => {
  it('lists 12 to 16 lessons in folder order, each titled by its README heading', async () => {
    const res = await server.get('/api/tour');
    expect(res.status).toBe(200);
    const list: { slug: string; title: string }[] = await res.json();
    expect(list.map((l) => l.slug)).toEqual(slugs);
    expect(list.length).toBeGreaterThanOrEqual(12);
    expect(list.length).toBeLessThanOrEqual(16);
    for (const l of list) {
      expect(l.title, l.slug).not.toBe(l.slug);
      expect(l.title.length, l.slug).toBeGreaterThan(3);
    }
  });

  it('serves a lesson by number (1-based) as well as by slug', async () => {
    const first = await lesson('1');
    expect(first.slug).toBe(slugs[0]);
    expect(await lesson(slugs[0])).toEqual(first);
    expect((await lesson(String(slugs.length))).slug).toBe(slugs.at(-1));
  });

  it('answers 404 for a lesson that does not exist', async () => {
    for (const key of ['99-no-such-lesson', String(slugs.length + 1), '0', 'hello']) {
      const res = await server.get(`/api/tour/${key}`);
      expect(res.status, key).toBe(404);
      expect((await res.json()).error, key).toMatch(/no lesson/);
    }
  });
});

describe('each lesson: the starting code fails its check, the solution passes it', () => {
  it.each(slugs)('%s', async (slug) => {
    const l = await lesson(slug);
    // The lesson's shape: a text with an exercise, code to start from and a solution, a few
    // requests and expectations that each point at a request that is sent.
    expect(l.text, slug).toMatch(/^# /);
    expect(l.text, slug).toMatch(/Exercise:/);
    expect(Object.keys(l.files), slug).toContain('main.go');
    expect(Object.keys(l.solution), slug).toContain('main.go');
    expect(l.requests.length, slug).toBeGreaterThanOrEqual(1);
    expect(l.requests.length, slug).toBeLessThanOrEqual(4);
    expect(l.expectations.length, slug).toBeGreaterThanOrEqual(2);
    expect(l.expectations.length, slug).toBeLessThanOrEqual(5);
    for (const e of l.expectations) expect(e.request, `${slug}: ${e.description}`).toBeLessThan(l.requests.length);
    const changesCode = JSON.stringify(l.files) !== JSON.stringify(l.solution);
    const changesConfig = l.solutionConfig !== undefined && l.solutionConfig !== l.config;
    expect(changesCode || changesConfig, `${slug}: the solution changes nothing`).toBe(true);

    const exercise = {
      requests: l.requests,
      expectations: l.expectations,
      ...(l.services ? { services: l.services } : {}),
      ...(l.gateway ? { gateway: l.gateway } : {}),
    };

    const start = await server.post('/api/check', { files: l.files, config: l.config, ...exercise });
    expect(start.status, JSON.stringify(start.json)).toBe(200);
    // It builds and runs (every expectation was evaluated) and fails at least one, saying why.
    expect(start.json.error, report(slug, 'starting code', start.json)).toBeUndefined();
    expect(start.json.results, report(slug, 'starting code', start.json)).toHaveLength(l.expectations.length);
    expect(start.json.passed, report(slug, 'starting code', start.json)).toBe(false);
    const failed = start.json.results.filter((r: { passed: boolean }) => !r.passed);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(r.seen, `${slug}: "${r.description}" failed without saying what was seen`).toMatch(/\S/);

    const solved = await server.post('/api/check', { files: l.solution, config: l.solutionConfig ?? l.config, ...exercise });
    expect(solved.status, JSON.stringify(solved.json)).toBe(200);
    expect(solved.json.passed, report(slug, 'solution', solved.json)).toBe(true);
    expect(solved.json.results).toHaveLength(l.expectations.length);
  });
});
