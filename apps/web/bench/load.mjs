// Page-load bench: the built app served by the real server (as the e2e tests
// start it), opened in Debian's Chromium in a fresh browser context per run,
// over a network throttled with CDP (10 Mbit/s down, 50 ms latency) and
// unthrottled, then once more from the cache (a repeat visit). Prints medians
// over the runs: first contentful paint (the shell), the toolbar on screen,
// Monaco on screen, and Monaco taking input (typed into as soon as it is on
// screen and the first scenario is in place: when the character shows; this
// includes the few ms the driver takes to click and type); plus
// the bytes the page fetched before its first paint and in all. Figures only,
// no assertions.
//
// Run: pnpm --filter @playground/web bench [-- runs]   (needs apps/web/dist and apps/server/dist; default 5 runs;
// BENCH_WEB_DIST=/another/dist measures another build)
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, startServer, webRoot } from '../e2e/harness.mjs';

/** Which build to serve and measure (BENCH_WEB_DIST: another one, to compare). */
const dist = path.resolve(process.env.BENCH_WEB_DIST || path.join(webRoot, 'dist'));
const RUNS = Math.max(1, Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 5) || 5);
const THROTTLED = {
  offline: false,
  latency: 50,
  downloadThroughput: (10 * 1000 * 1000) / 8,
  uploadThroughput: (10 * 1000 * 1000) / 8,
};

/**
 * In the page, before its own scripts: on each animation frame (as close to a paint as a script
 * gets), note when the toolbar's Run button and then Monaco's rendered lines are first there.
 */
function watchInPage() {
  const marks = {};
  window.__bench = marks;
  const visible = (el) => !!el && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const tick = () => {
    const now = window.performance.now();
    if (marks.toolbar === undefined && visible(document.querySelector('header.toolbar button.primary'))) marks.toolbar = now;
    if (marks.editor === undefined && visible(document.querySelector('.monaco-editor .view-lines .view-line'))) marks.editor = now;
    if (marks.toolbar === undefined || marks.editor === undefined) window.requestAnimationFrame(tick);
  };
  window.requestAnimationFrame(tick);
}

/** One page load in `context`; returns its timings (ms since navigation start) and bytes. */
async function load(context, url, conditions) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions);
  await page.addInitScript(watchInPage);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench?.editor !== undefined, null, { timeout: 180_000, polling: 'raf' });
  // Taking input: once the first scenario is in place too (typing before it would be replaced by
  // it), click into the editor, type, and note when the character is on screen.
  await page.waitForSelector('html[data-ready=true]', { timeout: 60_000 });
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n//§');
  await page.waitForFunction(
    () => {
      if (!document.querySelector('.monaco-editor .view-lines')?.textContent.includes('//§')) return false;
      window.__bench.typed ??= window.performance.now();
      return true;
    },
    null,
    { timeout: 30_000, polling: 'raf' },
  );
  const figures = await page.evaluate(() => {
    const fcp = window.performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const resources = window.performance.getEntriesByType('resource');
    const nav = window.performance.getEntriesByType('navigation')[0];
    const bytes = (list) => list.reduce((n, e) => n + (e.transferSize || 0), 0);
    return {
      fcp,
      toolbar: window.__bench.toolbar,
      editor: window.__bench.editor,
      editable: window.__bench.typed,
      beforePaint: (nav?.transferSize ?? 0) + bytes(resources.filter((e) => e.responseEnd <= fcp)),
      total: (nav?.transferSize ?? 0) + bytes(resources),
    };
  });
  await page.close();
  return figures;
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '—');
const kb = (x) => (Number.isFinite(x) ? `${(x / 1000).toFixed(0)} kB` : '—');

/** What index.html makes the browser fetch before the first paint: the entry, its modulepreloads, the CSS. */
function firstPaintAssets() {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const rows = [['index.html', readFileSync(path.join(dist, 'index.html'))], ...files.map((f) => [f, readFileSync(path.join(dist, f))])];
  return rows.map(([name, data]) => ({ name, raw: statSync(path.join(dist, name)).size, gzip: gzipSync(data, { level: 6 }).length }));
}

const assets = firstPaintAssets();
console.log(`What the first paint needs (${path.relative(process.cwd(), dist) || dist}):`);
for (const a of assets) console.log(`  ${a.name.padEnd(36)} ${kb(a.raw).padStart(8)} raw ${kb(a.gzip).padStart(8)} gzip`);
console.log(
  `  ${'total'.padEnd(36)} ${kb(assets.reduce((n, a) => n + a.raw, 0)).padStart(8)} raw ${kb(assets.reduce((n, a) => n + a.gzip, 0)).padStart(8)} gzip; largest script ${kb(Math.max(...assets.filter((a) => a.name.endsWith('.js')).map((a) => a.raw)))}`,
);

const server = await startServer({ webDist: dist });
const browser = await launchBrowser();
try {
  const url = `${server.url}/`;
  const scenarios = [
    { name: 'throttled (10 Mbit/s, 50 ms), first visit', conditions: THROTTLED, warm: false },
    { name: 'throttled (10 Mbit/s, 50 ms), repeat visit', conditions: THROTTLED, warm: true },
    { name: 'unthrottled, first visit', conditions: null, warm: false },
  ];
  // One load to warm the server (its file cache, the examples) before anything is measured.
  {
    const context = await browser.newContext();
    await load(context, url, null);
    await context.close();
  }
  console.log(`\nMedians over ${RUNS} runs (ms since navigation start; a fresh browser context per run):`);
  console.log(`  ${'network'.padEnd(44)} ${'first paint'.padStart(12)} ${'toolbar'.padStart(9)} ${'editor'.padStart(9)} ${'editable'.padStart(9)} ${'before paint'.padStart(13)} ${'all'.padStart(9)}`);
  for (const sc of scenarios) {
    const runs = [];
    let failed = 0;
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      try {
        if (sc.warm) await load(context, url, sc.conditions);
        runs.push(await load(context, url, sc.conditions));
      } catch (err) {
        failed++;
        console.log(`  (${sc.name}: run ${i + 1} failed: ${String(err?.message ?? err).split('\n')[0]})`);
      } finally {
        await context.close();
      }
    }
    const m = (k) => median(runs.map((r) => r[k]));
    console.log(
      `  ${sc.name.padEnd(44)} ${ms(m('fcp')).padStart(12)} ${ms(m('toolbar')).padStart(9)} ${ms(m('editor')).padStart(9)} ${ms(m('editable')).padStart(9)} ${kb(m('beforePaint')).padStart(13)} ${kb(m('total')).padStart(9)}${failed ? `  (${failed} of ${RUNS} runs failed)` : ''}`,
    );
  }
} finally {
  await browser.close();
  await server.stop();
}
