// End-to-end tests for issues 9 and 10 in the UI: plugin on vs off, _rules_
// matching, config checked against the code (schema + lints + quick fix),
// request sequences and the virtual clock, the bundle download, and project
// trees (folders, go.mod, a dropped .zip). The REAL server, real plugins,
// Debian's Chromium; screenshots in apps/web/test-artifacts/.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { openApp, openExample, runAndWait, RUN_TIMEOUT, typeInEditor, repoRoot, shot, withPlayground } from './harness.mjs';

const pg = withPlayground();

const open = (viewport = { width: 1280, height: 720 }) => openApp(pg, { viewport, acceptDownloads: true });

const openHello = (page) => openExample(page, 'hello-world');

const setConfig = (page, text) => page.evaluate((t) => window.__playground.store.getState().setConfig(t), text);
const state = (page) => page.evaluate(() => window.__playground.store.getState());

describe('plugin on vs off', () => {
  test('hello-world: the plugin adds hello: world; with mockEnable it answers locally', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page, errors } = await open();
    await openHello(page);
    await page.getByRole('button', { name: /Compare with plugin off/ }).click();
    const added = page.locator('[aria-label="Plugin effect on the upstream request"] tr.h-added', { hasText: 'hello' });
    await added.waitFor({ timeout: RUN_TIMEOUT });
    assert.match(await added.innerText(), /hello\s+world/);
    assert.equal(await page.locator('[data-testid=effect-local-reply]').count(), 0);
    await shot(page, '20-effect-hello');

    await setConfig(page, 'mockEnable: true\n');
    await page.getByRole('button', { name: /Compare with plugin off/ }).click();
    await page.locator('[data-testid=effect-local-reply]').waitFor({ timeout: RUN_TIMEOUT });
    assert.match(await page.locator('[aria-label="Plugin local reply body"]').innerText(), /hello world/);
    await shot(page, '21-effect-local-reply');
    // The go.mod / go.sum the build used can be added to the project, to pin or add modules.
    await page.getByRole('button', { name: 'Add go.mod from the last build' }).click();
    await page.locator('.tree-row[data-path="go.sum"]').waitFor();
    const mod = (await state(page)).files.find((f) => f.name === 'go.mod').content;
    assert.match(mod, /github\.com\/higress-group\/wasm-go/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('_rules_', () => {
  test('a rule for route vip answers locally only for that route; the Timeline says which config applied', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page } = await open();
    await openHello(page);
    await setConfig(page, 'mockEnable: false\n_rules_:\n  - _match_route_: [vip]\n    mockEnable: true\n');
    await page.getByRole('textbox', { name: 'Route' }).fill('vip');
    let r = await runAndWait(page);
    assert.equal(r.kind, 'local-reply', r.text);
    await page.getByRole('tab', { name: /Timeline/ }).click();
    const match = page.locator('[data-testid=config-match]');
    await match.waitFor();
    assert.equal(await match.getAttribute('data-applied'), 'rule 1');
    assert.match(await match.innerText(), /vip/);
    await shot(page, '22-rules-vip');

    await page.getByRole('textbox', { name: 'Route' }).fill('other');
    await page.getByRole('textbox', { name: 'Domain (host)' }).fill('api.example.com');
    r = await runAndWait(page);
    assert.equal(r.kind, 'ok', r.text);
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await page.waitForSelector('[data-testid=config-match][data-applied=global]');
    await shot(page, '23-rules-global');
    await context.close();
  });
});

describe('config checked against the code', () => {
  test('an unknown key in config.yaml gets a warning; known keys complete with their docs', { timeout: 60_000 }, async () => {
    const { context, page } = await open();
    await openHello(page);
    await page.waitForFunction(() => window.__playground.store.getState().analysis?.schema?.properties?.mockEnable);
    await page.getByRole('tab', { name: 'Open config.yaml' }).click();
    await typeInEditor(page, 'mockEnable: false\nmockEnabled: true\n');
    await page.waitForFunction(() =>
      window.__playground.markers().some((m) => m.file === 'config.yaml' && m.severity === 'warning' && m.line === 2 && /not a key the plugin reads/.test(m.message)),
    );
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 5_000 });
    // A wrong type is a warning too.
    await typeInEditor(page, 'mockEnable: "yes"\n');
    await page.waitForFunction(() => window.__playground.markers().some((m) => m.file === 'config.yaml' && /should be a boolean/.test(m.message)));
    // Completion of the keys the plugin reads.
    await typeInEditor(page, '');
    await page.keyboard.type('mock');
    await page.keyboard.press('Control+Space');
    const item = page.locator('.suggest-widget .monaco-list-row', { hasText: 'mockEnable' });
    await item.first().waitFor({ timeout: 10_000 });
    await shot(page, '24-config-schema-completion');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^mockEnable: /.test(window.__playground.store.getState().config));
    await context.close();
  });

  test('the setctx-in-main lint shows as a warning and its quick fix rewrites the code', { timeout: 60_000 }, async () => {
    const { context, page } = await open();
    await openHello(page);
    await page.evaluate(() => {
      const s = window.__playground.store.getState();
      const src = s.files.find((f) => f.name === 'main.go').content;
      s.setFileContent('main.go', src.replace('func main() {}\n', '').replace('func init() {', 'func main() {'));
    });
    await page.waitForFunction(() => window.__playground.markers().some((m) => m.code === 'setctx-in-main'), null, { timeout: 30_000 });
    const mark = (await page.evaluate(() => window.__playground.markers())).find((m) => m.code === 'setctx-in-main');
    assert.equal(mark.file, 'main.go');
    assert.equal(mark.severity, 'warning');
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 5_000 });
    await page.evaluate((m) => window.__playground.store.getState().revealAt('main.go', m.line, m.column + 2), mark);
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: /Move it into func/ });
    await fix.first().waitFor({ timeout: 10_000 });
    await shot(page, '25-lint-quick-fix');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const src = window.__playground.store.getState().files.find((f) => f.name === 'main.go').content;
      return /func init\(\) \{\s*\n\s*wrapper\.SetCtx/.test(src) && /func main\(\) \{\}/.test(src);
    });
    await page.waitForFunction(() => !window.__playground.markers().some((m) => m.code === 'setctx-in-main'), null, { timeout: 30_000 });
    await shot(page, '26-lint-fixed');
    await context.close();
  });
});

describe('sequences and time', () => {
  test('a sequence of 20 through hello-world draws 20 points; the virtual clock advances', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page } = await open();
    await openHello(page);
    await page.getByRole('tab', { name: /Sequence/ }).click();
    await page.getByRole('combobox', { name: 'Clock' }).selectOption('virtual');
    await page.getByRole('spinbutton', { name: 'Repeat' }).fill('20');
    await page.getByRole('button', { name: /Run sequence/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=sequence-chart] circle.pt-time').length === 20, null, { timeout: RUN_TIMEOUT });
    assert.equal(await page.locator('[data-testid=sequence-chart] circle.pt-mem').count(), 20);
    const s = await state(page);
    assert.equal(s.sequence.result.steps.length, 20);
    assert.ok(s.sequence.result.steps.every((x) => x.status === 200));
    await shot(page, '27-sequence-chart');
    await page.getByRole('spinbutton', { name: 'Advance by ms' }).fill('5000');
    await page.getByRole('button', { name: /Advance clock/ }).click();
    await page.locator('[data-testid=clock-log] li', { hasText: '+5000 ms' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=clock-log]').scrollIntoViewIfNeeded();
    await shot(page, '28-clock-advanced');
    await context.close();
  });
});

describe('state across a sequence, ticks on a virtual clock', () => {
  test('rate-limit: requests past the limit get 429; advancing the clock fires the tick that resets the window', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page } = await open();
    const src = readFileSync(path.join(repoRoot, 'apps/server/test/projects/rate-limit/main.go'), 'utf8');
    await page.evaluate((main) => {
      const s = window.__playground.store.getState();
      s.loadScenario({ files: { 'main.go': main }, config: 'perSecond: 3\n', requests: [{ name: 'GET /get', method: 'GET', path: '/get', headers: [], body: '' }] }, { kind: 'local', forked: false });
      s.setClock('virtual');
      // One worker VM: its Go globals see every request (with two, each worker counts its own; the
      // main thread's VM ticks too but sees no request).
      s.setGateway({ profile: 'higress', workers: 1 });
    }, src);
    await page.getByRole('tab', { name: /Sequence/ }).click();
    await page.getByRole('spinbutton', { name: 'Repeat' }).fill('6');
    await page.getByRole('button', { name: /Run sequence/ }).click();
    await page.waitForFunction(() => window.__playground.store.getState().sequence?.result.steps.length >= 6, null, { timeout: RUN_TIMEOUT });
    const steps = (await state(page)).sequence.result.steps;
    // The Run that started the session sent one request already.
    assert.ok(steps.slice(-3).every((x) => x.status === 429), JSON.stringify(steps.map((x) => x.status)));
    await page.getByRole('spinbutton', { name: 'Advance by ms' }).fill('1000');
    await page.getByRole('button', { name: /Advance clock/ }).click();
    const entry = page.locator('[data-testid=clock-log] li', { hasText: '+1000 ms' });
    await entry.waitFor({ timeout: 30_000 });
    assert.match(await entry.innerText(), /20 ticks/); // the worker's 10 and the main thread's 10
    assert.match(await entry.innerText(), /window reset/);
    await page.locator('[data-testid=clock-log]').scrollIntoViewIfNeeded();
    await shot(page, '35-rate-limit-ticks');
    await context.close();
  });
});

describe('services', () => {
  test('http-call: the declared token-service answers the callout with its own token', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page } = await open();
    await page.getByRole('button', { name: 'Open the examples gallery' }).click();
    await page.locator('[data-example=http-call]').click();
    await page.waitForSelector('[data-testid=origin]:has-text("example http-call")');
    await page.locator('details.services summary').click();
    // The example declares token-service (forwarded to httpbin); answer it ourselves instead.
    assert.equal(await page.getByRole('textbox', { name: 'Service name' }).inputValue(), 'token-service');
    await page.getByRole('combobox', { name: 'Service answer' }).selectOption('fixed');
    await page.getByRole('textbox', { name: 'Service headers' }).fill('x-token: mocked-token-42');
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'ok', text);
    const added = page.locator('[aria-label="Request headers diff"] tr.h-added', { hasText: 'x-token' });
    await added.waitFor();
    assert.match(await added.innerText(), /mocked-token-42/);
    await shot(page, '33-mock-service');
    await context.close();
  });
});

describe('export', () => {
  test('Download bundle saves a zip with the sources, config and requests', { timeout: 60_000 }, async () => {
    const { context, page } = await open();
    await openHello(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download bundle' }).click()]);
    assert.match(download.suggestedFilename(), /\.zip$/);
    const file = await download.path();
    const entries = unzipSync(new Uint8Array(readFileSync(file)));
    const names = Object.keys(entries).map((n) => n.replace(/^[^/]+\//, ''));
    assert.ok(names.includes('main.go'), names.join(', '));
    assert.ok(names.some((n) => /config\.yaml$/.test(n)), names.join(', '));
    await context.close();
  });
});

/** The test project of the server: a module with two sub-packages and an embedded data file. */
function multiPackageZip() {
  const dir = path.join(repoRoot, 'apps/server/test/projects/multi-package');
  const files = {};
  const walk = (d, prefix) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else files[`headerkit/${prefix}${name}`] = new Uint8Array(readFileSync(full));
    }
  };
  walk(dir, '');
  files['headerkit/config.yaml'] = strToU8('language: fr\n');
  files['headerkit/Makefile'] = strToU8('build:\n\tgo build\n');
  return Buffer.from(zipSync(files));
}

describe('project trees', () => {
  test('dropping a zip of a two-package project with go.mod opens it, builds and runs it', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page, errors } = await open();
    const b64 = multiPackageZip().toString('base64');
    await page.evaluate((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const file = new File([bytes], 'headerkit.zip', { type: 'application/zip' });
      const dt = new DataTransfer();
      dt.items.add(file);
      const zone = document.querySelector('[data-testid=editor-drop-zone]');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, b64);
    await page.locator('.tree-row[data-path="provider/provider.go"]').waitFor({ timeout: 30_000 });
    for (const p of ['go.mod', 'go.sum', 'config/config.go', 'provider/greetings.json', 'config', 'provider']) {
      await page.locator(`.tree-row[data-path="${p}"]`).waitFor();
    }
    const s = await state(page);
    assert.equal(s.config, 'language: fr\n');
    assert.match(await page.locator('.notice span').innerText(), /Skipped \(not used by the build\): Makefile\.$/);
    // go.mod opens with its own highlighting.
    await page.locator('.tree-row[data-path="go.mod"] .tree-name').click();
    await page.locator('.view-lines', { hasText: 'module example.com/headerkit' }).waitFor();
    assert.equal(await page.evaluate(() => window.__playground.store.getState().activeFile), 'go.mod');
    await page.locator('.view-line .mtk1, .view-line span[class^=mtk]').first().waitFor();
    await shot(page, '29-zip-dropped');
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'ok', text);
    const added = page.locator('[aria-label="Request headers diff"] tr.h-added', { hasText: 'x-greeting' });
    await added.waitFor();
    await shot(page, '30-zip-project-ran');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('opening a project folder keeps what the build uses and lists what it skipped', { timeout: 60_000 }, async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-folder-'));
    const dir = path.join(tmp, 'headerkit');
    cpSync(path.join(repoRoot, 'apps/server/test/projects/multi-package'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'Makefile'), 'build:\n');
    writeFileSync(path.join(dir, 'config.yaml'), 'language: de\n');
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin', 'plugin.wasm'), 'x');
    const { context, page } = await open();
    await page.locator('[data-testid=folder-input]').setInputFiles(dir);
    await page.locator('.tree-row[data-path="provider/greetings.json"]').waitFor({ timeout: 15_000 });
    const s = await state(page);
    assert.deepEqual(s.files.map((f) => f.name).sort(), ['config/config.go', 'go.mod', 'go.sum', 'main.go', 'provider/greetings.json', 'provider/provider.go']);
    assert.equal(s.config, 'language: de\n');
    const skipped = /Skipped \(not used by the build\): (.*)\.$/.exec(await page.locator('.notice span').innerText())?.[1];
    assert.deepEqual(skipped?.split(', ').sort(), ['Makefile', 'bin/plugin.wasm']);
    await shot(page, '34-folder-opened');
    await context.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('folders: add, move, rename and delete files and folders from the tree', { timeout: 60_000 }, async () => {
    const { context, page } = await open();
    await openHello(page);
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByRole('textbox', { name: 'New folder in the project root' }).fill('lib');
    await page.keyboard.press('Enter');
    await page.locator('.tree-row[data-path="lib"]').waitFor();
    await page.locator('.tree-row[data-path="lib"]').hover();
    await page.getByRole('button', { name: 'New file in lib' }).click();
    await page.getByRole('textbox', { name: 'New file in lib' }).fill('util.go');
    await page.keyboard.press('Enter');
    await page.locator('.tree-row[data-path="lib/util.go"]').waitFor();
    await page.getByRole('tab', { name: 'Open lib/util.go' }).waitFor();
    assert.equal((await state(page)).files.find((f) => f.name === 'lib/util.go').content, 'package lib\n');
    // Move by drag and drop onto another folder.
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByRole('textbox', { name: 'New folder in the project root' }).fill('pkg');
    await page.keyboard.press('Enter');
    await page.locator('.tree-row[data-path="lib/util.go"]').dragTo(page.locator('.tree-row[data-path="pkg"]'));
    await page.locator('.tree-row[data-path="pkg/util.go"]').waitFor();
    // Rename a folder: its files move with it.
    await page.locator('.tree-row[data-path="pkg"]').hover();
    await page.getByRole('button', { name: 'Rename or move pkg' }).click();
    await page.getByRole('textbox', { name: 'New path for pkg' }).fill('internal/pkg');
    await page.keyboard.press('Enter');
    await page.locator('.tree-row[data-path="internal/pkg/util.go"]').waitFor();
    await shot(page, '31-tree-folders');
    await page.locator('.tree-row[data-path="internal"]').hover();
    await page.getByRole('button', { name: 'Delete internal', exact: true }).click();
    await page.waitForFunction(() => !window.__playground.store.getState().files.some((f) => f.name.startsWith('internal/')));
    // A diagnostic in go.mod is marked in go.mod.
    await page.evaluate(() => {
      const s = window.__playground.store.getState();
      s.addFile(
        'go.mod',
        'module example.com/missing\n\ngo 1.24.1\n\nrequire (\n\tgithub.com/higress-group/proxy-wasm-go-sdk v0.0.0-20251103120604-77e9cce339d2\n\tgithub.com/higress-group/wasm-go v1.0.6\n\tgithub.com/playground-test-org/does-not-exist v1.0.0\n)\n',
      );
    });
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'build-error', text);
    await page.waitForFunction(() => window.__playground.markers().some((m) => m.file === 'go.mod' && m.line === 8), null, { timeout: 10_000 });
    await page.getByRole('tab', { name: 'Open go.mod' }).click();
    await page.locator('.squiggly-error').first().waitFor({ timeout: 5_000 });
    await shot(page, '32-gomod-diagnostic');
    await context.close();
  });
});
