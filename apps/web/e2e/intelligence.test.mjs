// End-to-end tests of Go intelligence (gopls on the server, behind /api/lsp):
// completion after `proxywasm.` and `wrapper.`, hover with the SDK's doc
// comments, type errors marked while typing (before Run), go to definition
// opening the SDK's source read-only in a tab, and a server without
// intelligence: the note says why and the editor works as before. The
// latencies seen (keystroke to the completion list, edit to the marker) are
// printed.
//
// Run: node --test e2e/intelligence.test.mjs   (needs apps/web/dist, apps/server/dist and gopls: pnpm run setup)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openApp, shot, startServer, withPlayground } from './harness.mjs';

const pg = withPlayground();

const state = (page) => page.evaluate(() => window.__playground.store.getState());
const goplsMarkers = (page) => page.evaluate(() => window.__playground.markers('gopls'));

/** Skips the file's tests when the server does not offer intelligence (gopls not installed). */
async function offered() {
  const health = await (await fetch(`${pg.server.url}/api/health`)).json();
  return health.intelligence?.available ? null : (health.intelligence?.reason ?? 'no intelligence in /api/health');
}

/**
 * Puts the cursor in main.go on the first line holding `text` (at `offset` characters into `text`,
 * or at the end of the line), that line in the middle of the editor, the editor focused. Not with
 * a click on the line: Playwright would first scroll Monaco's very wide line element into view,
 * natively, which Monaco does not expect.
 */
async function cursorOn(page, text, offset) {
  await page.evaluate(
    ([t, o]) => {
      const s = window.__playground.store.getState();
      const lines = s.files.find((f) => f.name === 'main.go').content.split('\n');
      const line = lines.findIndex((l) => l.includes(t));
      s.revealAt('main.go', line + 1, (o === undefined ? lines[line].length : lines[line].indexOf(t) + o) + 1);
    },
    [text, offset],
  );
  // Monaco renders spaces as no-break spaces.
  await page.waitForFunction(
    (t) => document.activeElement?.closest('.monaco-editor') && document.querySelector('.view-lines')?.textContent.replace(/\u00a0/g, ' ').includes(t),
    text,
  );
}

const endOfLine = (page, text) => cursorOn(page, text);

/** The screen position of the middle of `word` on the first editor line holding it. */
function wordPosition(page, word) {
  return page.evaluate((w) => {
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      const walker = document.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(w);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + w.length);
        const r = range.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }
    }
    return null;
  }, word);
}

const suggestions = (page) => page.locator('.editor-widget.suggest-widget.visible');

/** hello-world as the example has it (a fresh scenario: a fresh workspace at the next need). */
async function fresh(page) {
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.__playground.store.getState().openExample('hello-world'));
  await page.waitForFunction(() => {
    const s = window.__playground.store.getState();
    return s.origin.id === 'hello-world' && !s.origin.forked && s.activeFile === 'main.go';
  });
  await page.locator('.view-line', { hasText: 'proxywasm.AddHttpRequestHeader("hello", "world")' }).waitFor();
  await page.locator('.view-line', { hasText: 'func main() {}' }).waitFor();
}

describe('Go intelligence (gopls)', () => {
  let page;
  let context;
  let skip = null;
  before(async () => {
    skip = await offered();
    if (skip) return;
    ({ page, context } = await openApp(pg));
    await page.waitForFunction(() => window.__playground.store.getState().origin.id === 'hello-world');
  });
  after(async () => context?.close());

  test("completion after `proxywasm.` lists the SDK's functions with their signatures", { timeout: 120_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const note = page.locator('[data-testid=intelligence]');
    assert.match(await note.innerText(), /Go intelligence: on/);
    await endOfLine(page, 'proxywasm.AddHttpRequestHeader("hello", "world")');
    await page.keyboard.press('Enter');
    await page.keyboard.type('proxywasm');
    // The first completion opens the workspace (gopls loads the project).
    let t0 = Date.now();
    await page.keyboard.type('.');
    const item = suggestions(page).locator('.monaco-list-row', { hasText: 'AddHttpRequestHeader' }).first();
    await item.waitFor({ timeout: 60_000 });
    const cold = Date.now() - t0;
    // The SDK's functions, the one in focus with its signature.
    const widget = await suggestions(page).innerText();
    assert.match(widget, /AddHttpRequestTrailer/);
    assert.match(widget, /func\(key string, value string\) error/);
    await shot(page, 'intel-01-completion');

    // Again, with gopls warm: the list comes in the time of one small request.
    const warm = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Backspace');
      await suggestions(page).waitFor({ state: 'hidden' }).catch(() => {});
      t0 = Date.now();
      await page.keyboard.type('.');
      await item.waitFor({ timeout: 15_000 });
      warm.push(Date.now() - t0);
    }
    // Choosing it inserts the call with its parameters as placeholders.
    await page.keyboard.type('AddHttpReq');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      window.__playground.store
        .getState()
        .files.find((f) => f.name === 'main.go')
        .content.includes('proxywasm.AddHttpRequestHeader(key, value)') ||
      window.__playground.store.getState().files.find((f) => f.name === 'main.go').content.includes('proxywasm.AddHttpRequestHeader(key string, value string)'),
    );
    console.log(`completion after "proxywasm.": first ${cold} ms (opens gopls), then ${warm.join(', ')} ms`);
    assert.equal((await state(page)).intelligence.state, 'on');
    assert.match(await note.innerText(), /Go intelligence: on/);
  });

  test('completion after `wrapper.` lists the wrapper package', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    await fresh(page);
    await endOfLine(page, 'func main() {}');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.keyboard.type('wrapper.');
    await suggestions(page).locator('.monaco-list-row', { hasText: 'CommonHttpCtx' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.type('ProcessReq');
    await suggestions(page).locator('.monaco-list-row', { hasText: 'ProcessRequestHeadersBy' }).first().waitFor({ timeout: 15_000 });
    await shot(page, 'intel-02-completion-wrapper');
    await page.keyboard.press('Escape');
  });

  test('hovering AddHttpRequestHeader shows its doc comment from the SDK', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    await fresh(page);
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'adds a value for given' });
    await cursorOn(page, 'AddHttpRequestHeader', 2);
    // Monaco shows a hover after a pause of the mouse on the word; move off and on again if it did not.
    for (let i = 0; i < 5 && !(await hover.isVisible()); i++) {
      const at = await wordPosition(page, 'AddHttpRequestHeader');
      assert.ok(at, 'AddHttpRequestHeader is on screen');
      await page.mouse.move(at.x, at.y - 40);
      await page.mouse.move(at.x, at.y, { steps: 4 });
      await hover.waitFor({ timeout: 5_000 }).catch(() => {});
    }
    await hover.waitFor({ timeout: 5_000 });
    const text = await hover.innerText();
    assert.match(text, /func proxywasm\.AddHttpRequestHeader\(key string, value string\) error/);
    assert.match(text, /Only available during types\.HttpContext\.OnHttpRequestHeaders/);
    await shot(page, 'intel-03-hover');
    await page.mouse.move(5, 5);
  });

  test('a type error is marked while typing, before Run is pressed', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    await fresh(page);
    assert.equal((await state(page)).build, null, 'nothing was built');
    await endOfLine(page, 'func main() {}');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.keyboard.type('var x int = "s"');
    const t0 = Date.now();
    await page.waitForFunction(() => window.__playground.markers('gopls').some((m) => m.file === 'main.go' && /cannot use "s"/.test(m.message)), null, { timeout: 20_000 });
    const took = Date.now() - t0;
    const lines = (await state(page)).files.find((f) => f.name === 'main.go').content.split('\n');
    const line = lines.findIndex((l) => l.includes('var x int = "s"')) + 1;
    const mark = (await goplsMarkers(page)).find((m) => /cannot use "s"/.test(m.message));
    assert.equal(mark.line, line);
    assert.equal(mark.severity, 'error');
    await page.locator('.squiggly-error').first().waitFor({ timeout: 5_000 });
    assert.equal((await state(page)).build, null, 'still nothing built: the marker came from gopls');
    await shot(page, 'intel-04-type-error');
    console.log(`type error marked ${took} ms after the last keystroke (300 ms of it the pause before the edit is sent)`);

    // Fixed: the marker goes.
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('var x int = 1; _ = x');
    await page.waitForFunction(() => !window.__playground.markers('gopls').some((m) => /cannot use "s"/.test(m.message)), null, { timeout: 20_000 });
  });

  test('go to definition (F12) opens the SDK source read-only in a tab that closes again', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    await fresh(page);
    await cursorOn(page, 'AddHttpRequestHeader', 2);
    const before = (await state(page)).files;
    await page.keyboard.press('F12');
    const tab = page.locator('[data-read-only$="proxywasm/hostcall.go"]');
    await tab.waitFor({ timeout: 20_000 });
    const s = await state(page);
    assert.match(s.activeFile, /^sdk:github\.com\/higress-group\/proxy-wasm-go-sdk@.*\/proxywasm\/hostcall\.go$/);
    assert.match(await tab.innerText(), /hostcall\.go/);
    assert.match(await tab.innerText(), /read-only/);
    await page.locator('.view-line', { hasText: 'func AddHttpRequestHeader(key, value string) error' }).waitFor({ timeout: 10_000 });
    assert.match(await page.locator('.monaco-editor textarea').first().getAttribute('aria-label'), /hostcall\.go \(read-only\)/);
    // The new tab is scrolled into the strip's view, × included (the strip is narrower than its tabs here).
    await page.waitForFunction(() => {
      const strip = document.querySelector('.file-tabs').getBoundingClientRect();
      const t = document.querySelector('.tab.read-only.active').getBoundingClientRect();
      return t.left >= strip.left - 1 && t.right <= strip.right + 1;
    });
    await shot(page, 'intel-05-definition');

    // Read-only: typing changes nothing; the source is in no file of the scenario, which is not edited.
    assert.deepEqual(s.files, before);
    await page.keyboard.type('zzz');
    const after = await state(page);
    assert.deepEqual(after.files, before);
    assert.equal(after.origin.forked, false);
    assert.ok(!after.files.some((f) => /hostcall/.test(f.name)));
    assert.equal(await page.locator('.view-line', { hasText: 'zzz' }).count(), 0);
    assert.ok(!JSON.stringify(after.openTabs).includes('hostcall'));

    // Closing it goes back to main.go.
    await page.getByRole('button', { name: /^Close github\.com\/.*hostcall\.go$/ }).click();
    await tab.waitFor({ state: 'detached' });
    const closed = await state(page);
    assert.equal(closed.activeFile, 'main.go');
    assert.deepEqual(closed.files, before);
    assert.equal(closed.origin.forked, false);
    await page.locator('.view-line', { hasText: 'proxywasm.AddHttpRequestHeader("hello", "world")' }).waitFor();
  });
});

describe('a server without Go intelligence', () => {
  let server;
  let browser;
  before(async () => {
    const saved = process.env.PLAYGROUND_GOPLS;
    process.env.PLAYGROUND_GOPLS = '0';
    try {
      server = await startServer();
    } finally {
      if (saved === undefined) delete process.env.PLAYGROUND_GOPLS;
      else process.env.PLAYGROUND_GOPLS = saved;
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the note says why, nothing is asked of /api/lsp, and the editor works as before', { timeout: 120_000 }, async () => {
    const { page, context, errors } = await openApp({ server, browser });
    const lsp = [];
    page.on('request', (r) => new URL(r.url()).pathname.startsWith('/api/lsp') && lsp.push(r.url()));
    const note = page.locator('[data-testid=intelligence]');
    await note.waitFor();
    assert.match(await note.innerText(), /Go intelligence: off \(.*PLAYGROUND_GOPLS=0.*\)/);
    assert.equal(await note.getAttribute('data-state'), 'off');
    await endOfLine(page, 'proxywasm.AddHttpRequestHeader("hello", "world")');
    await page.keyboard.press('Enter');
    await page.keyboard.type('proxywasm.');
    await page.waitForTimeout(1500);
    await page.keyboard.press('Escape');
    await page.keyboard.type('AddHttpRequestHeader("a", "b")');
    await page.waitForFunction(() => window.__playground.store.getState().files[0].content.includes('proxywasm.AddHttpRequestHeader("a", "b")'));
    assert.deepEqual(lsp, []);
    assert.deepEqual(errors, []);
    await shot(page, 'intel-06-off');
    await context.close();
  });
});
