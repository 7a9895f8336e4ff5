// Helpers for the end-to-end tests: start the real playground server (serving
// apps/web/dist) on a free port, and launch Debian's Chromium headless through
// playwright-core.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webRoot = path.resolve(here, '..');
export const repoRoot = path.resolve(webRoot, '../..');
export const artifacts = path.join(webRoot, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

/** Starts `node apps/server/dist/index.js` and resolves with its URL once it listens. */
export function startServer({ timeoutMs = 60_000 } = {}) {
  const entry = process.env.PLAYGROUND_SERVER_ENTRY || path.join(repoRoot, 'apps/server/dist/index.js');
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PLAYGROUND_WEB_DIST: path.join(webRoot, 'dist') },
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
