// The example gallery (examples/): every example that has a check.json shows what it says it shows
// (its requests run through POST /api/check against its own expectations, in a real session with a
// real build), and the gallery as a whole uses every hook and utility method of the Higress guide's
// tables, as the `Uses:` line that ends each example's README declares.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Expectation, type ExampleSummary, type Scenario } from '@playground/shared';
import { z } from 'zod';
import { examplesDir } from '../src/toolchain/paths.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * The Higress guide's tables of processing hooks and utility methods, by group, as the `Uses:` lines
 * name them: wrapper and proxywasm functions by their own name, methods as `Type.Method`, logs as
 * `log.X`.
 */
const GUIDE: Record<string, string> = {
  'processing hooks':
    'ProcessRequestHeadersBy ProcessRequestHeaders ProcessRequestBody ProcessRequestBodyBy ProcessResponseHeaders ' +
    'ProcessResponseHeadersBy ProcessResponseBody ProcessResponseBodyBy ProcessStreamingRequestBody ' +
    'ProcessStreamingResponseBody ProcessStreamDone RegisterTickFunc',
  'config parsers': 'ParseConfig ParseConfigBy ParseOverrideConfig',
  'request headers':
    'GetHttpRequestHeaders GetHttpRequestHeader ReplaceHttpRequestHeaders ReplaceHttpRequestHeader AddHttpRequestHeader ' +
    'RemoveHttpRequestHeader',
  'response headers':
    'GetHttpResponseHeaders GetHttpResponseHeader ReplaceHttpResponseHeaders ReplaceHttpResponseHeader ' +
    'AddHttpResponseHeader RemoveHttpResponseHeader',
  bodies:
    'GetHttpRequestBody AppendHttpRequestBody PrependHttpRequestBody ReplaceHttpRequestBody GetHttpResponseBody ' +
    'AppendHttpResponseBody PrependHttpResponseBody ReplaceHttpResponseBody',
  'local replies and resuming':
    'SendHttpResponse SendHttpResponseWithDetail ResumeHttpRequest ResumeHttpResponse',
  'properties and shared state':
    'GetProperty SetProperty GetSharedData SetSharedData RegisterSharedQueue EnqueueSharedQueue DequeueSharedQueue',
  metrics: 'DefineCounterMetric DefineGaugeMetric DefineHistogramMetric',
  'HttpContext helpers':
    'HttpContext.SetContext HttpContext.GetContext HttpContext.DontReadRequestBody HttpContext.BufferResponseBody ' +
    'HttpContext.Scheme HttpContext.Host HttpContext.Path HttpContext.Method',
  callouts:
    'NewClusterClient HttpClient.Get HttpClient.Post FQDNCluster StaticIpCluster DnsCluster K8sCluster NewRedisClusterClient',
  'log levels': 'log.Debugf log.Infof log.Warnf log.Errorf',
};

/** The example folders with a check.json, read when the tests are collected (one test each). */
const checked = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(examplesDir, d.name, 'check.json')))
  .map((d) => d.name)
  .sort();

const readExpectations = async (name: string) =>
  z
    .array(Expectation)
    .min(1)
    .parse(JSON.parse(await readFile(path.join(examplesDir, name, 'check.json'), 'utf8')));

/** The names on the last `Uses:` line of an example's README. */
async function uses(name: string): Promise<string[] | null> {
  const readme = await readFile(path.join(examplesDir, name, 'README.md'), 'utf8').catch(() => '');
  const line = readme.trimEnd().split('\n').at(-1) ?? '';
  const m = /^Uses:\s*(.+)$/.exec(line);
  return m
    ? m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
}

let server: TestServer;
let examples: ExampleSummary[];
beforeAll(async () => {
  // A cold cache builds every example in a row: one client's build budget and queue would turn some away.
  process.env.PLAYGROUND_BUILD_SECONDS_PER_MINUTE = '0';
  process.env.PLAYGROUND_BUILD_QUEUE_PER_CLIENT = '32';
  server = await startServer();
  examples = await (await server.get('/api/examples')).json();
});
afterAll(async () => {
  delete process.env.PLAYGROUND_BUILD_SECONDS_PER_MINUTE;
  delete process.env.PLAYGROUND_BUILD_QUEUE_PER_CLIENT;
  await server?.close();
});

describe('the example gallery', () => {
  it('lists every example that has a check.json', () => {
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.filter((name) => !examples.some((e) => e.name === name))).toEqual([]);
  });

  // Concurrent: builds queue in the builder (content-cached, so a second run only starts sessions).
  describe.concurrent('each example passes its own check', () => {
    it.each(checked)('%s', { timeout: 300_000 }, async (name) => {
      const expectations = await readExpectations(name);
      const res = await server.get(`/api/examples/${name}`);
      expect(res.status).toBe(200);
      const scenario = (await res.json()) as Scenario;
      const { status, json } = await server.post('/api/check', {
        files: scenario.files,
        config: scenario.config,
        requests: scenario.requests,
        expectations,
        services: scenario.services,
        gateway: scenario.gateway,
      });
      expect(status, JSON.stringify(json)).toBe(200);
      const report = [
        json.error && `error: ${json.error}`,
        json.build?.output && `build output:\n${json.build.output}`,
        ...(json.results ?? []).map(
          (r: { description: string; passed: boolean; seen?: string }) =>
            `${r.passed ? 'ok  ' : 'FAIL'} ${r.description}${r.seen ? ` (seen: ${r.seen})` : ''}`,
        ),
      ]
        .filter(Boolean)
        .join('\n');
      expect(json.passed, `examples/${name}/check.json:\n${report}`).toBe(true);
      expect(json.results).toHaveLength(expectations.length);
    });
  });

  it('ends every README with a `Uses:` line naming what its sources call', async () => {
    const problems: string[] = [];
    for (const { name } of examples) {
      const names = await uses(name);
      if (!names) {
        problems.push(`examples/${name}/README.md has no final "Uses: ..." line`);
        continue;
      }
      const scenario = (await (await server.get(`/api/examples/${name}`)).json()) as Scenario;
      const source = Object.values(scenario.files).join('\n');
      // The identifier itself (the part after the last dot) must occur in the sources.
      for (const n of names)
        if (!source.includes(n.split('.').at(-1)!))
          problems.push(`examples/${name} lists ${n}, which its sources never mention`);
    }
    expect(problems).toEqual([]);
  });

  it("together use every hook and utility method of the guide's tables", async () => {
    const used = new Set<string>();
    for (const { name } of examples) for (const n of (await uses(name)) ?? []) used.add(n);
    const missing = Object.entries(GUIDE).flatMap(([group, names]) =>
      names
        .split(/\s+/)
        .filter((m) => !used.has(m))
        .map((m) => `${m} (${group})`),
    );
    expect(missing, 'methods no example lists on its Uses: line').toEqual([]);
  });
});
