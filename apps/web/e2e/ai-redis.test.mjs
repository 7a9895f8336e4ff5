// End-to-end tests for the gateway's Redis and LLM services in the UI: a rate limit kept in the
// session's Redis (its calls in the Timeline, its keys in the Redis tab), a streamed answer of the
// LLM stand-in shown while it arrives, and the Services editor with the route's upstream. The REAL
// server, real plugins, Debian's Chromium; screenshots in apps/web/test-artifacts/.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openApp, openExample, runAndWait, RUN_TIMEOUT, shot, withPlayground } from './harness.mjs';

const pg = withPlayground();

describe('redis', () => {
  test('redis-rate-limit: the 4th request gets 429; the Timeline shows the EVAL and its reply; the Redis tab lists and clears the key', { timeout: 2 * RUN_TIMEOUT }, async () => {
    const { context, page, errors } = await openApp(pg);
    await openExample(page, 'redis-rate-limit');
    for (let i = 1; i <= 3; i++) {
      const { kind, text } = await runAndWait(page);
      assert.equal(kind, 'ok', `run ${i}: ${text}`);
    }
    const fourth = await runAndWait(page);
    assert.equal(fourth.kind, 'local-reply', fourth.text);
    assert.match(fourth.text, /Local reply 429/);

    await page.getByRole('tab', { name: 'Timeline' }).click();
    const call = page.locator('.timeline .redis-call').first();
    await call.waitFor();
    assert.match(await call.innerText(), /eval .*ratelimit:alice.*→\s*1\) \(integer\) 4 2\) \(integer\) \d+/is);
    assert.match(await call.innerText(), /outbound\|6379\|\|redis\.static/);
    await shot(page, '50-redis-timeline');

    await page.getByRole('tab', { name: 'Redis' }).click();
    const row = page.locator('[data-testid=redis-pane] tr[data-key="ratelimit:alice"]');
    await row.waitFor();
    assert.match(await row.innerText(), /string\s+\d+ s\s+4/);
    await shot(page, '51-redis-keys');
    await page.getByRole('button', { name: 'Clear keys' }).click();
    await row.waitFor({ state: 'detached' });
    assert.match(await page.locator('[data-testid=redis-pane]').innerText(), /No keys\./);

    const after = await runAndWait(page);
    assert.equal(after.kind, 'ok', after.text);
    assert.match(after.text, /200 from upstream/);
    // The Redis tab reads the keys again after the exchange: the count started over.
    await page.locator('[data-testid=redis-pane] tr[data-key="ratelimit:alice"]', { hasText: /no expiry|\d+ s/ }).waitFor();
    assert.match(await row.innerText(), /\s1$/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('llm', () => {
  test('ai-token-counter: the streamed answer shows while it arrives, and ends with the token line', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page, errors } = await openApp(pg);
    await openExample(page, 'ai-token-counter');
    assert.match(await page.locator('[data-testid=gateway-panel] summary').innerText(), /route → llm-openai/);
    await page.getByRole('tab', { name: 'Response' }).click();
    // Every state of the body while the pane says it is streaming, recorded in the page as the DOM changes.
    await page.evaluate(() => {
      const seen = (window.__streamedLengths = []);
      new MutationObserver(() => {
        const body = document.querySelector('[data-testid=response-pane][data-streaming=true] [aria-label="Response body"]');
        const n = body?.textContent.length;
        if (n && seen[seen.length - 1] !== n) seen.push(n);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'ok', text);
    const lengths = await page.evaluate(() => window.__streamedLengths);
    assert.ok(new Set(lengths).size >= 2, `partial bodies seen while streaming: ${JSON.stringify(lengths)}`);
    const body = await page.locator('[aria-label="Response body"]').innerText();
    assert.match(body, /^data: /m);
    assert.match(body, /: tokens prompt=/);
    assert.ok(body.length > Math.min(...lengths), 'the final body has everything the partial ones had');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    assert.ok((await page.locator('.timeline li', { hasText: 'response_body' }).count()) >= 2, 'one response_body callback per chunk');
    await shot(page, '52-llm-stream');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('the services editor', () => {
  test('services of each kind and the route upstream survive a reload and a share link', { timeout: 120_000 }, async () => {
    const { context, page, errors } = await openApp(pg);
    await openExample(page, 'hello-world');
    await page.locator('details.services summary').click();
    await page.getByRole('button', { name: '+ service' }).click();
    const llm = page.getByRole('group', { name: 'Service 1' });
    await llm.getByRole('combobox', { name: 'Service kind' }).selectOption('llm');
    await llm.getByRole('textbox', { name: 'Service name' }).fill('my-llm');
    await llm.getByRole('textbox', { name: 'LLM models' }).fill('gpt-4o, qwen-max');
    await llm.getByRole('combobox', { name: 'LLM fail status' }).selectOption('429');
    await page.getByRole('button', { name: '+ service' }).click();
    const redis = page.getByRole('group', { name: 'Service 2' });
    await redis.getByRole('combobox', { name: 'Service kind' }).selectOption('redis');
    await redis.getByRole('textbox', { name: 'Service name' }).fill('cache');
    await redis.getByRole('textbox', { name: 'Redis password' }).fill('s3cret');
    await page.locator('[data-testid=gateway-panel] summary').click();
    await page.getByRole('combobox', { name: 'Route goes to' }).selectOption('my-llm');
    assert.match(await page.locator('[data-testid=gateway-panel] summary').innerText(), /route → my-llm/);
    // A Redis service brings the Redis tab.
    await page.getByRole('tab', { name: 'Redis' }).waitFor();
    await shot(page, '53-services-editor');

    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    await page.locator('details.services summary').click();
    await page.locator('[data-testid=gateway-panel] summary').click();
    assert.equal(await llm.getByRole('combobox', { name: 'Service kind' }).inputValue(), 'llm');
    assert.equal(await llm.getByRole('textbox', { name: 'Service name' }).inputValue(), 'my-llm');
    assert.equal(await llm.getByRole('textbox', { name: 'LLM models' }).inputValue(), 'gpt-4o, qwen-max');
    assert.equal(await llm.getByRole('combobox', { name: 'LLM fail status' }).inputValue(), '429');
    assert.equal(await redis.getByRole('combobox', { name: 'Service kind' }).inputValue(), 'redis');
    assert.equal(await redis.getByRole('textbox', { name: 'Redis password' }).inputValue(), 's3cret');
    assert.equal(await page.getByRole('combobox', { name: 'Route goes to' }).inputValue(), 'my-llm');

    // A share link keeps them.
    const mine = await page.evaluate(() => ({ services: window.__playground.store.getState().services, gateway: window.__playground.store.getState().gateway }));
    await page.getByRole('button', { name: 'Share a link to this scenario' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=share-link]')?.value, null, { timeout: 15_000 });
    const link = await page.locator('[data-testid=share-link]').inputValue();
    await page.keyboard.press('Escape');
    const other = await (await pg.browser.newContext()).newPage();
    await other.goto(`${link}?e2e`);
    await other.waitForFunction(() => window.__playground?.store.getState().origin.kind === 'share', null, { timeout: 15_000 });
    const theirs = await other.evaluate(() => ({ services: window.__playground.store.getState().services, gateway: window.__playground.store.getState().gateway }));
    assert.deepEqual(theirs, mine);
    await other.context().close();

    // Renamed, the service is no longer where the route goes: back to httpbin.
    await llm.getByRole('textbox', { name: 'Service name' }).fill('other-llm');
    assert.equal(await page.getByRole('combobox', { name: 'Route goes to' }).inputValue(), '');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
