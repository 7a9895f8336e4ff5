// End-to-end: a plugin that logs without pause, and the page staying usable.
// Its tick writes a burst of lines every 100 ms, more than the server forwards
// (200 lines a second per VM outside requests), so the session's event stream
// sends lines as fast as it ever does. While thousands arrive the page must keep
// answering (a round trip into it, clicks on the output tabs), and the Logs
// pane must follow the stream. Before the lines were batched per frame and the
// rows memoized, every line re-rendered every row: the page fell behind at a
// few hundred lines and stopped answering for good. The REAL server and
// plugin, Debian's Chromium; screenshots in apps/web/test-artifacts/.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openApp, runAndWait, RUN_TIMEOUT, shot, withPlayground } from './harness.mjs';

const pg = withPlayground();

const FLOOD = `// Logs a burst of lines on every tick (wasm-go ticks every 100 ms).
package main

import (
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	logs "github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

func main() {}

func init() {
	wrapper.SetCtx("log-flood", wrapper.ParseConfigBy(parseConfig), wrapper.ProcessRequestHeadersBy(onHttpRequestHeaders))
}

var ticks int

func onTick() {
	ticks++
	for i := 0; i < 50; i++ {
		proxywasm.LogInfof("tick %d line %d", ticks, i)
	}
}

type Config struct{}

func parseConfig(json gjson.Result, config *Config, log logs.Log) error {
	wrapper.RegisterTickFunc(100, onTick)
	return nil
}

func onHttpRequestHeaders(ctx wrapper.HttpContext, config Config, log logs.Log) types.Action {
	return types.ActionContinue
}
`;

/** Lines the test waits for: more than the store keeps (2000), so old lines are dropped too. */
const LINES = 3000;
/** How long the page may take to answer: generous, a busy two-core machine included; a frozen page takes far longer. */
const ANSWER_MS = 5000;

/** `work`'s time in ms; fails when the page has not answered within ANSWER_MS. */
async function answered(what, work) {
  const started = Date.now();
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ANSWER_MS} ms (the page is not responding)`)), ANSWER_MS);
  });
  try {
    await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - started;
}

/** The id of the newest line in the store: ids count every line the page took in. */
const newestId = (page) => page.evaluate(() => window.__playground.store.getState().logs.at(-1)?.id ?? 0);

describe('a plugin that logs without pause', () => {
  test(`the page keeps answering while ${LINES} lines stream in, and the Logs pane follows them`, { timeout: RUN_TIMEOUT + 120_000 }, async () => {
    const { context, page, errors } = await openApp(pg, { viewport: { width: 1920, height: 1080 } });
    await page.evaluate((main) => {
      window.__playground.store.getState().loadScenario(
        { files: { 'main.go': main }, config: '', requests: [{ name: 'GET /get', method: 'GET', path: '/get', headers: [], body: '' }] },
        { kind: 'local', forked: false },
      );
    }, FLOOD);
    const r = await runAndWait(page);
    assert.equal(r.kind, 'ok', r.text);
    const logsTab = page.getByRole('tab', { name: /^Logs/ });
    const timelineTab = page.getByRole('tab', { name: 'Timeline' });
    await answered('a click on Logs', () => logsTab.click({ timeout: ANSWER_MS }));
    const first = await newestId(page);

    const rounds = [];
    const clicks = [];
    const deadline = Date.now() + 90_000;
    let seen = 0;
    for (let i = 0; seen < LINES; i++) {
      assert.ok(Date.now() < deadline, `fewer than ${LINES} lines in 90 s: ${seen}`);
      rounds.push(await answered('a round trip into the page', async () => (seen = (await newestId(page)) - first)));
      const [tab, id] = i % 2 ? [logsTab, 'tab-logs'] : [timelineTab, 'tab-timeline'];
      clicks.push(
        await answered(`a click on ${id}`, async () => {
          await tab.click({ timeout: ANSWER_MS });
          await page.waitForFunction((tabId) => document.getElementById(tabId)?.getAttribute('aria-selected') === 'true', id, { timeout: ANSWER_MS });
        }),
      );
      await page.waitForTimeout(250);
    }
    if (await timelineTab.getAttribute('aria-selected') === 'true') await logsTab.click();

    // The pane shows the newest line, and says how many earlier ones it leaves out.
    await page.waitForFunction(() => {
      const { logs } = window.__playground.store.getState();
      const rows = document.querySelectorAll('[data-testid=logs-pane] .log-line .msg');
      return rows.length > 0 && rows[rows.length - 1].textContent === logs.at(-1).message;
    }, null, { timeout: ANSWER_MS });
    const rows = await page.locator('[data-testid=logs-pane] .log-line').count();
    assert.ok(rows <= 500, `${rows} rows in the page`);
    assert.match(await page.locator('[data-testid=logs-not-shown]').innerText(), /^\d+ earlier lines not shown/);
    assert.equal(await page.evaluate(() => window.__playground.store.getState().logs.length), 2000);
    await shot(page, '60-log-flood');
    const max = (list) => Math.max(...list);
    console.log(`log flood: ${rounds.length} probes; round trip max ${max(rounds)} ms, click max ${max(clicks)} ms`);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
