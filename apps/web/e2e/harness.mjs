// Helpers for the end-to-end tests: start the real playground server (serving
// apps/web/dist) on a free port, and launch Debian's Chromium headless through
// playwright-core.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webRoot = path.resolve(here, '..');
export const repoRoot = path.resolve(webRoot, '../..');
export const artifacts = path.join(webRoot, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

/** Starts `node apps/server/dist/index.js` (serving `webDist`) and resolves with its URL once it listens. */
export function startServer({ timeoutMs = 60_000, webDist = path.join(webRoot, 'dist') } = {}) {
  const entry = process.env.PLAYGROUND_SERVER_ENTRY || path.join(repoRoot, 'apps/server/dist/index.js');
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PLAYGROUND_WEB_DIST: webDist },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${output.join('')}`));
    }, timeoutMs);
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      output.push(chunk.toString());
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const ev = JSON.parse(line);
          if (ev.event === 'server.listening' && ev.url) {
            clearTimeout(timer);
            resolve({
              url: ev.url,
              output,
              stop: () =>
                new Promise((done) => {
                  if (child.exitCode !== null) return done();
                  child.once('exit', () => done());
                  child.kill('SIGTERM');
                  setTimeout(() => child.kill('SIGKILL'), 5000).unref();
                }),
            });
          }
        } catch {
          /* not a JSON log line */
        }
      }
    });
    child.stderr.on('data', (chunk) => output.push(chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output.join('')}`));
    });
  });
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export function shot(page, name) {
  return page.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

/**
 * Starts the real server and Chromium before a test file's tests and stops both after them.
 * Tests read `pg.server` and `pg.browser`; a test may replace `pg.server` (to restart it).
 */
export function withPlayground() {
  const pg = { server: null, browser: null };
  before(async () => {
    pg.server = await startServer();
    pg.browser = await launchBrowser();
  });
  after(async () => {
    await pg.browser?.close();
    await pg.server?.stop();
  });
  return pg;
}

/**
 * Opens the app in a fresh browser context (`?e2e` exposes window.__playground to the tests) and
 * waits for the editor. Records page errors, anything the Content-Security-Policy blocked, and any
 * request to another origin.
 */
export async function openApp(pg, { viewport = { width: 1280, height: 720 }, path = '/', acceptDownloads = false } = {}) {
  const context = await pg.browser.newContext({ viewport, acceptDownloads });
  const page = await context.newPage();
  const origin = new URL(pg.server.url).origin;
  const outside = [];
  const errors = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) outside.push(u);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => /Content Security Policy/i.test(m.text()) && errors.push(m.text()));
  page.on('dialog', (d) => d.accept());
  await page.goto(`${pg.server.url}${path}?e2e`);
  // A cold browser on a busy two-core machine can take a while to parse the editor bundle.
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 90_000 });
  await page.waitForSelector('html[data-ready=true]', { timeout: 30_000 });
  return { context, page, outside, errors };
}

/** Opens an example from the gallery, as a user would, and waits until it is on screen. */
export async function openExample(page, name) {
  await page.getByRole('button', { name: 'Open the examples gallery' }).click();
  await page.locator(`[data-example=${name}]`).click();
  await page.waitForFunction(() => !window.__playground.store.getState().examplesOpen);
  await page.waitForSelector(`[data-testid=origin]:has-text("example ${name}")`);
}

/** How long a Run may take on a cold, busy machine (a cold Go build is ~20 s there). */
export const RUN_TIMEOUT = 240_000;

/** Presses Run and waits until it finished and the banner shows the outcome; returns its kind and text. */
export async function runAndWait(page) {
  await page.getByRole('button', { name: 'Run (Ctrl+Enter)' }).click();
  await page.waitForFunction(() => !window.__playground.store.getState().running, null, { timeout: RUN_TIMEOUT });
  await page.waitForSelector('[data-testid=status][data-kind]:not([data-kind=idle])', { timeout: RUN_TIMEOUT });
  const banner = page.locator('[data-testid=status]');
  return { kind: await banner.getAttribute('data-kind'), text: await banner.innerText() };
}

/** Replaces the open editor tab's text by typing, as a user would. */
export async function typeInEditor(page, text) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}
