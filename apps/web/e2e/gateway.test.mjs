// End-to-end tests for the gateway's strictness in the UI (issue 13): each exchange says which
// gateway and worker served it and notes what the gateway punished; the Gateway panel switches
// profiles; the request builder sets the client address and sends a body in chunks. The REAL
// server, real plugins, Debian's Chromium; screenshots in apps/web/test-artifacts/.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openApp, openExample, runAndWait, RUN_TIMEOUT, shot, withPlayground } from './harness.mjs';

const pg = withPlayground();

describe('gateway notes', () => {
  test('a callout to a service the gateway does not have is noted with its fix', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page, errors } = await openApp(pg);
    await openExample(page, 'http-call');
    await page.locator('details.services summary').click();
    await page.getByRole('button', { name: 'Remove service token-service' }).click();
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'ok', text);
    const notes = page.locator('[data-testid=exchange-notes]');
    assert.match(await notes.innerText(), /higress gateway · worker 0/);
    const note = notes.locator('[data-code=unknown_cluster]');
    assert.match(await note.innerText(), /outbound\|80\|\|token-service\.static.*BadArgument/s);
    assert.match(await note.innerText(), /Fix: declare a service named "token-service"/);
    await shot(page, '40-unknown-cluster-note');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('the gateway panel', () => {
  test("the envoy profile: the guide's route timeout reaches httpbin, shown as the gateway's header", { timeout: RUN_TIMEOUT }, async () => {
    const { context, page } = await openApp(pg);
    await openExample(page, 'hello-world');
    const panel = page.locator('[data-testid=gateway-panel]');
    await panel.locator('summary').click();
    assert.match(await panel.locator('summary').innerText(), /higress: 32 KiB buffer limit, no route timeout, FAIL_CLOSE, 2 worker VMs/);
    await page.getByRole('combobox', { name: 'Gateway profile' }).selectOption('envoy');
    assert.match(await panel.locator('summary').innerText(), /envoy: 1 MiB buffer limit, 15 s route timeout/);
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'ok', text);
    const row = page.locator('[aria-label="Request headers diff"] tr.h-gateway', { hasText: 'x-envoy-expected-rq-timeout-ms' });
    await row.waitFor();
    assert.match(await row.innerText(), /15000\s+by the gateway/);
    // The plugin's own change is still the one counted.
    assert.match(await page.locator('[aria-label="Request headers diff"] tr.h-added').innerText(), /hello\s+world/);
    assert.match(await page.locator('[data-testid=exchange-notes]').innerText(), /envoy gateway/);
    await shot(page, '41-envoy-profile');
    await context.close();
  });
});

describe('the request builder', () => {
  test('a client address reaches x-forwarded-for, and a body sent in chunks shows one body callback per chunk', { timeout: RUN_TIMEOUT }, async () => {
    const { context, page } = await openApp(pg);
    await openExample(page, 'hello-world');
    await page.getByRole('button', { name: 'POST /post with JSON', exact: true }).click();
    await page.getByRole('textbox', { name: 'Client address' }).fill('203.0.113.9');
    await page.getByRole('checkbox', { name: 'Send the body in chunks' }).check();
    assert.equal(await page.getByRole('textbox', { name: 'Chunk 2' }).count(), 1);
    const { kind, text } = await runAndWait(page);
    assert.equal(kind, 'ok', text);
    const xff = page.locator('[aria-label="Request headers diff"] tr', { hasText: 'x-forwarded-for' });
    assert.match(await xff.innerText(), /203\.0\.113\.9/);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const bodies = page.locator('.timeline li', { hasText: 'request_body' });
    assert.equal(await bodies.count(), 2);
    assert.match(await bodies.last().innerText(), /end of stream/);
    await shot(page, '42-chunks-and-client');
    await context.close();
  });
});
