// End-to-end tests: the built web app served by the REAL playground server,
// driven in Debian's Chromium (headless) through playwright-core. Every state
// is saved as a screenshot in apps/web/test-artifacts/.
//
// Run: pnpm --filter @playground/web test:e2e   (needs apps/web/dist and apps/server/dist)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openApp, runAndWait, RUN_TIMEOUT, typeInEditor, shot, startServer, withPlayground } from './harness.mjs';

const pg = withPlayground();
/** What the share test shared, for the restart test after it. */
let shared;

/** Opens the app in a fresh browser context; records requests to other origins. */
const open = (viewport = { width: 1280, height: 720 }, path = '/') => openApp(pg, { viewport, path });

const state = (page) => page.evaluate(() => window.__playground.store.getState());

describe('first load', () => {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ]) {
    test(`stays on its own origin and fits ${viewport.width}x${viewport.height}`, async () => {
      const { context, page, outside, errors } = await open(viewport);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(outside, [], `requests outside the page's origin: ${outside.join(', ')}`);
      assert.deepEqual(errors, []);
      const fits = await page.evaluate(() => ({
        w: document.documentElement.scrollWidth <= window.innerWidth,
        h: document.documentElement.scrollHeight <= window.innerHeight,
      }));
      assert.deepEqual(fits, { w: true, h: true }, 'the page scrolls: the layout overflows the window');
      for (const name of ['Run (Ctrl+Enter)', 'Share a link to this scenario', 'Help and shortcuts']) {
        const box = await page.getByRole('button', { name }).boundingBox();
        assert.ok(box && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, `${name} is off screen`);
      }
      const logsTab = await page.getByRole('tab', { name: /Logs/ }).boundingBox();
      assert.ok(logsTab && logsTab.y + logsTab.height <= viewport.height, 'output tabs are off screen');
      await shot(page, `01-first-load-${viewport.width}x${viewport.height}`);
      await context.close();
    });
  }
});

describe('a window made smaller', () => {
  test('the columns follow it: none covers another, each keeps its minimum, the divider moves from where it is drawn', { timeout: 120_000 }, async () => {
    const { context, page, errors } = await open({ width: 1920, height: 1080 });
    // The widest editor a divider stores: three quarters of a 1920 px window.
    await page.evaluate(() => window.__playground.store.getState().setEditorWidth(0.75));
    await page.setViewportSize({ width: 1280, height: 720 });
    const boxes = () =>
      page.evaluate(() => {
        const box = (sel) => {
          const r = document.querySelector(sel).getBoundingClientRect();
          return { left: r.left, right: r.right };
        };
        return { editor: box('.editor-col'), code: box('.editor-main'), monaco: box('.monaco-editor'), tabs: box('.file-tabs-row'), divider: box('.workspace > .splitter'), right: box('.right-col') };
      });
    // Monaco lays itself out again on the next frames (automaticLayout); the checks below say what is wrong if it does not.
    await page
      .waitForFunction(() => document.querySelector('.monaco-editor').getBoundingClientRect().right <= document.querySelector('.workspace > .splitter').getBoundingClientRect().left, null, { timeout: 10_000 })
      .catch(() => {});
    const b = await boxes();
    for (const part of ['code', 'monaco', 'tabs']) assert.ok(b[part].right <= b.divider.left, `the editor's ${part} reaches past the divider: ${JSON.stringify(b)}`);
    assert.ok(b.right.left >= b.divider.right && b.right.right <= 1280, `the request and output column is off its place: ${JSON.stringify(b)}`);
    assert.ok(b.right.right - b.right.left >= 440 - 1, `the request and output column is narrower than its minimum: ${JSON.stringify(b)}`);
    await shot(page, '01b-shrunk-1920-to-1280');
    // An arrow key moves the divider from where it is drawn (not from the stored 0.75, which has no room here).
    await page.locator('.workspace > .splitter').focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((before) => document.querySelector('.workspace > .splitter').getBoundingClientRect().left < before - 10, b.divider.left);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('first paint', () => {
  test("the shell is on screen and works before the editor's code arrives", { timeout: 120_000 }, async () => {
    const context = await pg.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Hold Monaco and the editor's chunk (vite.config.ts names them) until the shell has been tried out.
    const held = [];
    let release;
    const released = new Promise((resolve) => (release = resolve));
    await page.route(/\/assets\/(monaco|editorChunk)-[\w-]+\.(js|css)$/, async (route) => {
      held.push(new URL(route.request().url()).pathname);
      await released;
      await route.continue();
    });
    await page.goto(`${pg.server.url}/?e2e`);
    await page.waitForSelector('html[data-ready=true]', { timeout: 30_000 });
    await page.waitForFunction(() => window.__playground.store.getState().origin.kind === 'example');

    // The editor's place shows the file, read-only, and says the editor is coming.
    const placeholder = page.locator('[data-testid=editor-placeholder]');
    await placeholder.getByText('Loading the editor…').waitFor();
    assert.match(await placeholder.locator('pre').innerText(), /AddHttpRequestHeader\("hello", "world"\)/);
    assert.equal(await page.locator('.monaco-editor').count(), 0);
    assert.ok(held.some((p) => /\/monaco-/.test(p)), `Monaco was not asked for: ${held.join(', ')}`);
    const scripts = await page.evaluate(() => window.performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    assert.ok(!scripts.some((p) => /\/assets\/monaco-/.test(p)), `Monaco arrived while held: ${scripts.join(', ')}`);

    // The toolbar works: the theme switch, Help, the examples gallery (the placeholder follows the store).
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await page.getByRole('button', { name: 'Help and shortcuts' }).click();
    await page.getByRole('dialog', { name: 'Help' }).getByText('Shortcuts').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Open the examples gallery' }).click();
    await page.locator('[data-example=redis-rate-limit]').click();
    await page.waitForSelector('[data-testid=origin]:has-text("example redis-rate-limit")');
    await placeholder.locator('pre', { hasText: 'redis-rate-limit lets each caller' }).waitFor();
    // The request builder works.
    const path = page.getByRole('textbox', { name: 'Path', exact: true });
    await path.fill('/anything/typed-before-the-editor');
    assert.equal(await path.inputValue(), '/anything/typed-before-the-editor');
    await shot(page, '00-shell-before-editor');

    // Once Monaco arrives the editor takes the placeholder's place, with the same file, and takes input.
    release();
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 90_000 });
    assert.equal(await placeholder.count(), 0);
    await page.locator('.view-lines', { hasText: 'redis-rate-limit' }).waitFor();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// typed in Monaco');
    await page.waitForFunction(() => window.__playground.store.getState().files.some((f) => f.content.includes('// typed in Monaco')));
    const s = await page.evaluate(() => window.__playground.store.getState());
    assert.ok(s.requests.some((r) => r.path === '/anything/typed-before-the-editor'), 'the request edited before the editor came is kept');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('hello-world, from run to share', () => {
  let page;
  let context;
  before(async () => {
    ({ page, context } = await open());
  });
  after(async () => context?.close());

  test('opens hello-world from the examples gallery', async () => {
    await page.getByRole('button', { name: 'Open the examples gallery' }).click();
    await page.locator('[data-example=hello-world]').click();
    // The gallery closes once the example is loaded.
    await page.waitForFunction(() => !window.__playground.store.getState().examplesOpen);
    await page.waitForSelector('[data-testid=origin]:has-text("example hello-world")');
    const s = await state(page);
    assert.match(s.files[0].content, /AddHttpRequestHeader\("hello", "world"\)/);
    assert.match(s.config, /mockEnable: false/);
  });

  test('run: the request diff shows hello: world added, the logs show the plugin line', { timeout: RUN_TIMEOUT }, async () => {
    const { kind, text } = await runAndWait(page);
    await shot(page, '02-run-diff');
    assert.equal(kind, 'ok', `run did not succeed: ${text}`);
    const added = page.locator('[aria-label="Request headers diff"] tr.h-added', { hasText: 'hello' });
    await added.waitFor();
    assert.match(await added.innerText(), /hello\s+world/i);
    await page.getByRole('tab', { name: /Logs/ }).click();
    await page.locator('.log-line', { hasText: 'hello: world' }).first().waitFor({ timeout: 10_000 });
    await shot(page, '03-run-logs');
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await page.locator('.tl-row', { hasText: /request_headers/i }).first().waitFor({ timeout: 5_000 });
    await shot(page, '03b-run-timeline');
  });

  test('a rerun with unchanged sources reuses the running plugin', { timeout: RUN_TIMEOUT }, async () => {
    await page.getByRole('tab', { name: /Diff/ }).click();
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'ok', text);
    assert.match(text, /reused the running plugin/);
  });

  test('traffic sent with the curl line shows up live (event stream)', async () => {
    const line = await page.locator('[data-testid=curl-line]').innerText();
    const url = /curl -i (\S+)/.exec(line)?.[1];
    assert.ok(url, line);
    // The session's gateway on the page's own origin (/gw/{id}), reachable wherever the page is.
    const { gatewayPath } = await page.evaluate(() => window.__playground.store.getState().session);
    assert.match(gatewayPath, /^\/gw\/[\w-]+$/);
    assert.equal(url, `${new URL(pg.server.url).origin}${gatewayPath}/get`);
    const res = await fetch(url.replace(/\/get$/, '/get?from=curl'), { headers: { accept: '*/*' } });
    assert.equal(res.status, 200);
    await page.locator('select[aria-label="Recorded exchange"] option', { hasText: 'from=curl' }).waitFor({ state: 'attached', timeout: 10_000 });
    const text = await page.locator('select[aria-label="Recorded exchange"]').innerText();
    assert.match(text, /via gateway/);
    await shot(page, '03c-gateway-traffic');
  });

  test('invalid YAML is marked as it is typed and stops the run', async () => {
    await page.getByRole('tab', { name: 'Open config.yaml' }).click();
    await typeInEditor(page, 'mockEnable: true: false');
    await page.waitForFunction(() => window.__playground.markers().some((m) => m.file === 'config.yaml'));
    const { kind, text } = await runAndWait(page);
    await shot(page, '04-invalid-yaml');
    assert.equal(kind, 'invalid-yaml', text);
    assert.match(text, /What to do/);
  });

  test('mockEnable: true makes a local reply "hello world"', { timeout: RUN_TIMEOUT }, async () => {
    await page.getByRole('tab', { name: 'Open config.yaml' }).click();
    await typeInEditor(page, 'mockEnable: true\n');
    await page.waitForFunction(() => !window.__playground.markers().some((m) => m.file === 'config.yaml'));
    await page.getByRole('tab', { name: /Diff/ }).click();
    const { kind, text } = await runAndWait(page);
    await shot(page, '05-local-reply');
    assert.equal(kind, 'local-reply', text);
    await page.locator('[data-testid=local-reply]').waitFor();
    assert.match(await page.locator('[aria-label="Local reply body"]').innerText(), /hello world/);
  });

  test('broken code: a marker on the right line and in the Build pane', { timeout: RUN_TIMEOUT }, async () => {
    await page.getByRole('tab', { name: 'Open main.go' }).click();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('var _ = undefinedThing');
    const s = await state(page);
    const lines = s.files.find((f) => f.name === 'main.go').content.split('\n');
    const expected = lines.findIndex((l) => l.includes('undefinedThing')) + 1;
    assert.ok(expected > 0);
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'build-error', text);
    const markers = await page.evaluate(() => window.__playground.markers());
    const mark = markers.find((m) => m.file === 'main.go' && /undefinedThing/.test(m.message));
    assert.ok(mark, `no marker for undefinedThing: ${JSON.stringify(markers)}`);
    assert.equal(mark.line, expected);
    await page.locator('.squiggly-error').first().waitFor({ timeout: 5_000 });
    const diag = page.locator('.diag', { hasText: `main.go:${expected}:` });
    await diag.waitFor();
    await diag.click();
    await shot(page, '06-build-error');
  });

  test('share: the link opens the same scenario in a fresh browser', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Share a link to this scenario' }).click();
    const input = page.locator('[data-testid=share-link]');
    await page.waitForFunction(() => document.querySelector('[data-testid=share-link]')?.value, null, { timeout: 15_000 });
    const link = await input.inputValue();
    assert.match(link, /\/p\/[A-Za-z0-9_-]+$/);
    await shot(page, '07-share-dialog');
    const mine = await state(page);

    const fresh = await pg.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const other = await fresh.newPage();
    await other.goto(`${link}?e2e`);
    await other.waitForSelector('.monaco-editor .view-lines');
    await other.waitForFunction(() => window.__playground?.store.getState().origin.kind === 'share', null, { timeout: 15_000 });
    const theirs = await state(other);
    assert.deepEqual(
      theirs.files.map((f) => [f.name, f.content]),
      mine.files.map((f) => [f.name, f.content]),
    );
    assert.equal(theirs.config, mine.config);
    assert.deepEqual(
      theirs.requests.map((r) => [r.method, r.path]),
      mine.requests.map((r) => [r.method, r.path]),
    );
    await other.locator('.view-lines', { hasText: 'hello-world adds' }).waitFor();
    await shot(other, '08-share-opened');
    await fresh.close();
    shared = { path: new URL(link).pathname, files: mine.files.map((f) => [f.name, f.content]), config: mine.config };
  });

  test('share: the link still opens after the server restarts', { timeout: 120_000 }, async () => {
    assert.ok(shared, 'the share test ran first');
    await pg.server.stop();
    pg.server = await startServer();
    const fresh = await pg.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const other = await fresh.newPage();
    await other.goto(`${pg.server.url}${shared.path}?e2e`);
    await other.waitForSelector('.monaco-editor .view-lines', { timeout: 90_000 });
    await other.waitForFunction(() => window.__playground?.store.getState().origin.kind === 'share', null, { timeout: 15_000 });
    const theirs = await state(other);
    assert.deepEqual(theirs.files.map((f) => [f.name, f.content]), shared.files);
    assert.equal(theirs.config, shared.config);
    await shot(other, '09-share-after-restart');
    await fresh.close();
  });
});

describe('comfort and clear states', () => {
  test('help panel and light theme', async () => {
    const { context, page } = await open();
    await page.getByRole('button', { name: 'Help and shortcuts' }).click();
    await page.getByRole('dialog', { name: 'Help' }).getByText('Shortcuts').waitFor();
    await shot(page, '09-help');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await shot(page, '10-light-theme');
    // The choice survives a reload (local storage).
    await page.reload();
    await page.waitForSelector('.monaco-editor .view-lines');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await context.close();
  });

  /** Opens hello-world, edits main.go through the store (Go is awkward to type with auto-closing brackets), runs. */
  async function runVariant(edit, name) {
    const { context, page } = await open();
    await page.getByRole('button', { name: 'Open the examples gallery' }).click();
    await page.locator('[data-example=hello-world]').click();
    // The gallery closes once the example is loaded.
    await page.waitForFunction(() => !window.__playground.store.getState().examplesOpen);
    await page.waitForSelector('[data-testid=origin]:has-text("example hello-world")');
    await page.evaluate(edit);
    const result = await runAndWait(page);
    await shot(page, name);
    return { ...result, context, page };
  }

  test('config rejected by the plugin: the banner says so, the logs say why', { timeout: RUN_TIMEOUT }, async () => {
    const { kind, text, context, page } = await runVariant(() => {
      const s = window.__playground.store.getState();
      const src = s.files.find((f) => f.name === 'main.go').content;
      const broken = src
        .replace('import (', 'import (\n\t"errors"')
        .replace(/config\.mockEnable = json\.Get\("mockEnable"\)\.Bool\(\)/, '$&\n\tif !json.Get("greeting").Exists() {\n\t\treturn errors.New("greeting is required")\n\t}');
      s.setFileContent('main.go', broken);
    }, '12-config-rejected');
    assert.equal(kind, 'config-rejected', text);
    assert.match(text, /What to do/);
    assert.equal(await page.getByRole('tab', { name: /Logs/ }).getAttribute('aria-selected'), 'true');
    await context.close();
  });

  test('plugin panic: the banner says so and what to do', { timeout: RUN_TIMEOUT }, async () => {
    const { kind, text, context } = await runVariant(() => {
      const s = window.__playground.store.getState();
      const src = s.files.find((f) => f.name === 'main.go').content;
      const broken = src.replace(
        /func onHttpRequestHeaders\([^)]*\) types\.Action \{/,
        '$&\n\tvar m map[string]int\n\tm["boom"] = 1',
      );
      s.setFileContent('main.go', broken);
    }, '13-plugin-crash');
    assert.equal(kind, 'plugin-crash', text);
    assert.match(text, /What to do/);
    await context.close();
  });

  test('server unreachable: the banner says so and what to do', async () => {
    const own = await startServer();
    const context = await pg.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${own.url}/?e2e`);
    await page.waitForSelector('html[data-ready=true]');
    await own.stop();
    const { kind, text } = await runAndWait(page);
    await shot(page, '11-server-unreachable');
    assert.equal(kind, 'unreachable', text);
    assert.match(text, /What to do/);
    assert.match(await page.locator('[data-testid=server-state]').innerText(), /unreachable/);
    await context.close();
  });
});
