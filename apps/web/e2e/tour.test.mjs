// End-to-end: learning the SDK in the browser. The tour (/tour, /tour/{n}) as a
// learner goes through its first lesson: Check with the starting code (what
// fails, and what was seen instead), Reveal solution, Check again (passed), the
// progress after a reload, a share of the attempt. And the examples gallery's
// search by SDK method name (an example README's `Uses:` line).
//
// The lessons are the server's own (tour/ at the repository root): the test
// reads the first one from GET /api/tour/1 and expects what its check.json says.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUN_TIMEOUT, shot, withPlayground } from './harness.mjs';

const pg = withPlayground();

/** Opens `path` in a fresh browser context (`?e2e` exposes the store) and waits for start-up. */
async function open(path, viewport = { width: 1280, height: 720 }) {
  const context = await pg.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => d.accept());
  await page.goto(`${pg.server.url}${path}?e2e`);
  await page.waitForSelector('html[data-ready=true]', { timeout: 90_000 });
  return { context, page, errors };
}

const state = (page) => page.evaluate(() => window.__playground.store.getState());
const getJson = async (path) => (await fetch(`${pg.server.url}${path}`)).json();
const filesOf = (s) => Object.fromEntries(s.files.map((f) => [f.name, f.content]));

/** Presses Check and waits for its outcome; returns the summary's text and whether it passed. */
async function check(page) {
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.waitForSelector('[data-testid=check][data-state=done], [data-testid=check][data-state=failed]', { timeout: RUN_TIMEOUT });
  const box = page.locator('[data-testid=check]');
  assert.equal(await box.getAttribute('data-state'), 'done', `the check did not run: ${await box.innerText()}`);
  const summary = page.locator('[data-testid=check-summary]');
  return { text: await summary.innerText(), passed: (await summary.getAttribute('data-passed')) === 'true' };
}

describe('the tour', () => {
  let lessons;
  let first;
  let page;
  let context;
  let errors;
  before(async () => {
    lessons = await getJson('/api/tour');
    if (lessons.length) first = await getJson('/api/tour/1');
  });
  after(async () => context?.close());

  test('/tour lists the lessons, none passed yet', { timeout: 120_000 }, async (t) => {
    if (!lessons.length) return t.skip('the server has no lessons (tour/ is empty)');
    ({ page, context, errors } = await open('/tour'));
    const items = page.locator('.tour-index .lesson-list li');
    await items.first().waitFor();
    assert.equal(await items.count(), lessons.length);
    assert.match(await items.first().innerText(), new RegExp(first.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await page.locator('.tour-index .lesson-list li[data-passed=true]').count(), 0);
    assert.match(await page.getByTestId('tour-progress').innerText(), new RegExp(`0 of ${lessons.length} lessons passed`));
    await shot(page, 'tour-01-index');
  });

  test('a lesson opens beside the editor, its files, config and requests the scenario', { timeout: 120_000 }, async (t) => {
    if (!lessons.length) return t.skip('no lessons');
    await page.locator('.tour-index .lesson-list li').first().getByRole('link').click();
    await page.waitForURL(/\/tour\/1(\?|$)/);
    await page.locator('.lesson-text h2', { hasText: first.title }).waitFor({ timeout: 30_000 });
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 90_000 });
    const s = await state(page);
    assert.deepEqual(filesOf(s), first.files);
    assert.equal(s.config, first.config);
    assert.deepEqual(
      s.requests.map((r) => [r.method, r.path]),
      first.requests.map((r) => [r.method, r.path]),
    );
    assert.deepEqual(s.origin, { kind: 'lesson', id: first.slug, forked: false });
    assert.match(await page.getByTestId('lesson-position').innerText(), new RegExp(`Lesson 1 of ${lessons.length}`));
    // The playground's own panes are there, beside the lesson.
    await page.getByRole('button', { name: 'Run (Ctrl+Enter)' }).waitFor();
    await page.getByRole('tab', { name: /Logs/ }).waitFor();
    // The editor is narrow beside the lesson: its tabs keep their room, the Go intelligence note gives way (down to its dot).
    const strip = await page.evaluate(() => {
      const tabs = document.querySelector('.file-tabs');
      const note = document.querySelector('[data-testid=intelligence]');
      return { scrolls: tabs.scrollWidth > tabs.clientWidth, tabsEnd: tabs.getBoundingClientRect().right, noteStart: note ? note.getBoundingClientRect().left : Infinity };
    });
    assert.ok(!strip.scrolls && strip.noteStart >= strip.tabsEnd, `the file tabs lose room to the note: ${JSON.stringify(strip)}`);
    await shot(page, 'tour-02-lesson');
  });

  test('Check with the starting code shows which expectations fail, with what was seen', { timeout: RUN_TIMEOUT }, async (t) => {
    if (!lessons.length) return t.skip('no lessons');
    const { text, passed } = await check(page);
    await shot(page, 'tour-03-check-failed');
    assert.equal(passed, false, `the starting code passed: ${text}`);
    assert.match(text, /✗ Not yet/);
    const rows = page.locator('.check-results li');
    assert.equal(await rows.count(), first.expectations.length);
    const failed = page.locator('.check-results li[data-passed=false]');
    assert.ok((await failed.count()) > 0);
    for (let i = 0; i < (await failed.count()); i++) {
      const row = await failed.nth(i).innerText();
      assert.match(row, /✗/);
      assert.match(row, /seen: \S/, `a failed expectation without what was seen: ${row}`);
      assert.ok(
        first.expectations.some((e) => row.includes(e.description)),
        `not one of the lesson's expectations: ${row}`,
      );
    }
  });

  test('Reveal solution loads the solution, and Check then passes', { timeout: RUN_TIMEOUT }, async (t) => {
    if (!lessons.length) return t.skip('no lessons');
    await page.getByRole('button', { name: 'Reveal solution' }).click(); // the confirm is accepted
    await page.waitForFunction((solution) => {
      const s = window.__playground.store.getState();
      return s.files.every((f) => solution[f.name] === f.content) && Object.keys(solution).length === s.files.length;
    }, first.solution);
    if (first.solutionConfig !== undefined) assert.equal((await state(page)).config, first.solutionConfig);
    // Loading the solution is not an edit: the header says what is on screen.
    assert.equal(await page.getByTestId('origin').innerText(), `solution of lesson ${first.slug}`);
    const { text, passed } = await check(page);
    await shot(page, 'tour-04-check-passed');
    assert.equal(passed, true, `the solution did not pass: ${text}`);
    assert.equal(await page.locator('.check-results li[data-passed=false]').count(), 0);
    assert.equal(await page.locator('.check-results li[data-passed=true]').count(), first.expectations.length);
    await page.getByTestId('lesson-passed').waitFor();
    assert.deepEqual(errors, []);
  });

  test('after a reload the lesson is still passed, and the attempt is still on screen', { timeout: 120_000 }, async (t) => {
    if (!lessons.length) return t.skip('no lessons');
    await page.reload();
    await page.waitForSelector('html[data-ready=true]', { timeout: 90_000 });
    await page.locator('.lesson-text h2', { hasText: first.title }).waitFor({ timeout: 30_000 });
    await page.getByTestId('lesson-passed').waitFor();
    const s = await state(page);
    assert.deepEqual(s.passedLessons, [first.slug]);
    assert.deepEqual(filesOf(s), first.solution);
    assert.equal(await page.getByTestId('origin').innerText(), `solution of lesson ${first.slug}`);
    // The list marks it done, on the lesson page and at /tour.
    await page.locator('.lesson-nav summary').click();
    await page.locator(`.lesson-nav li[data-lesson="${first.slug}"][data-passed=true]`).waitFor();
    await page.getByRole('link', { name: 'The tour', exact: true }).click();
    await page.waitForURL(/\/tour(\?|$)/);
    await page.locator(`.tour-index li[data-lesson="${first.slug}"][data-passed=true]`).waitFor();
    assert.match(await page.getByTestId('tour-progress').innerText(), new RegExp(`1 of ${lessons.length} lessons passed`));
    await shot(page, 'tour-05-progress-after-reload');
  });

  test("a share of the learner's attempt opens in the playground", { timeout: 120_000 }, async (t) => {
    if (!lessons.length) return t.skip('no lessons');
    await page.goBack(); // Back to the lesson
    await page.locator('.lesson-text h2', { hasText: first.title }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Share a link to this scenario' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=share-link]')?.value, null, { timeout: 15_000 });
    const link = await page.locator('[data-testid=share-link]').inputValue();
    assert.match(link, /\/p\/[A-Za-z0-9_-]+$/);
    // The learner stays on the lesson.
    assert.match(page.url(), /\/tour\/1(\?|$)/);
    assert.equal((await state(page)).origin.kind, 'lesson');

    const fresh = await pg.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const other = await fresh.newPage();
    await other.goto(`${link}?e2e`);
    await other.waitForFunction(() => window.__playground?.store.getState().origin.kind === 'share', null, { timeout: 30_000 });
    assert.deepEqual(filesOf(await state(other)), first.solution);
    assert.equal(await other.locator('.lesson-panel').count(), 0, 'the share opened the tour, not the playground');
    await shot(other, 'tour-06-share-in-playground');
    await fresh.close();
  });
});

describe('examples gallery: search by SDK method', () => {
  let examples;
  before(async () => {
    examples = await getJson('/api/examples');
  });

  test('typing a method name lists the examples whose Uses line names it', { timeout: 120_000 }, async () => {
    const withUses = examples.filter((e) => e.uses?.length);
    assert.ok(withUses.length > 0, 'no example README ends with a Uses: line');
    // A method some examples use and others do not; the one most of them share.
    const count = (m) => examples.filter((e) => e.uses?.some((u) => u.toLowerCase().includes(m.toLowerCase()))).length;
    const methods = [...new Set(withUses.flatMap((e) => e.uses))].filter((m) => !m.includes('.') && count(m) < examples.length);
    methods.sort((a, b) => count(b) - count(a) || a.localeCompare(b));
    const method = methods[0];
    const expected = examples
      .filter((e) => e.uses?.some((u) => u.toLowerCase().includes(method.toLowerCase())) || `${e.title}\n${e.description}\n${e.name}`.toLowerCase().includes(method.toLowerCase()))
      .map((e) => e.name)
      .sort();

    const { context, page } = await open('/');
    await page.getByRole('button', { name: 'Open the examples gallery' }).click();
    const search = page.getByRole('searchbox', { name: 'Search examples by method name' });
    await search.waitFor();
    const cards = page.locator('[aria-label="Example plugins"] [data-example]');
    await page.waitForFunction((n) => document.querySelectorAll('[aria-label="Example plugins"] [data-example]').length === n, examples.length);

    // A description's code spans show as code, without their backticks.
    const withCode = examples.find((e) => /`[^`]+`/.test(e.description));
    if (withCode) {
      const description = page.locator(`[data-example="${withCode.name}"] [data-testid=example-description]`);
      assert.equal(await description.locator('code').first().innerText(), /`([^`]+)`/.exec(withCode.description)[1]);
      assert.doesNotMatch(await description.innerText(), /`/);
    }

    await search.fill(method);
    await page.waitForFunction((n) => document.querySelectorAll('[aria-label="Example plugins"] [data-example]').length === n, expected.length);
    const listed = (await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-example')))).sort();
    assert.deepEqual(listed, expected, `searching ${method}`);
    // Each card of an example that uses it shows the method it matched.
    for (const e of examples.filter((x) => x.uses?.some((u) => u.toLowerCase().includes(method.toLowerCase())))) {
      assert.match(await page.locator(`[data-example="${e.name}"] mark`).first().innerText(), new RegExp(method, 'i'));
    }
    await shot(page, 'tour-07-gallery-search');

    await search.fill('NoSuchSdkMethodAnywhere');
    await page.getByTestId('examples-none').waitFor();
    assert.equal(await cards.count(), 0);

    // A filtered example opens as any other.
    await search.fill(method.toLowerCase());
    await cards.first().waitFor();
    const name = await cards.first().getAttribute('data-example');
    await cards.first().click();
    await page.waitForSelector(`[data-testid=origin]:has-text("example ${name}")`);
    await context.close();
  });
});
