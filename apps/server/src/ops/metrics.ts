// The server's metrics for operators, in Prometheus' text format at GET /metrics (prom-client):
// builds by outcome and duration, the build queue, sessions and plugin VMs, exchanges, VM faults,
// callouts and Redis calls, shares, and the dependency step's downloads. Call sites count; gauges
// are read when scraped.
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'playground_process_' });

const counter = (name: string, help: string, labelNames: string[] = []) => new client.Counter({ name: `playground_${name}`, help, labelNames, registers: [registry] });

export const builds = counter('builds_total', 'Builds by outcome: ok, failed, cached.', ['outcome']);
export const buildSeconds = new client.Histogram({
  name: 'playground_build_duration_seconds',
  help: 'Time from a build request to its result (queue wait included), builds that compiled.',
  buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [registry],
});
export const buildWaitSeconds = new client.Histogram({
  name: 'playground_build_queue_wait_seconds',
  help: 'Time builds waited for a slot.',
  buckets: [0, 0.1, 0.5, 1, 5, 15, 60],
  registers: [registry],
});
export const exchanges = counter('exchanges_total', 'Exchanges by status class (2xx ... 5xx, or reset) and whether the plugin answered locally.', ['status', 'local']);
export const vmFaults = counter('vm_faults_total', 'Plugin VMs that failed: crash (trap, panic), timeout, memory.', ['kind']);
export const callouts = counter('callouts_total', 'HTTP callouts and Redis calls plugins made.', ['kind']);
export const shares = counter('shares_total', 'Share reads and writes.', ['op']);
export const downloads = counter('dependency_downloads_total', 'Dependency steps that downloaded modules through the module proxy.');

/** Gauges read at scrape time from the parts that know them. */
export function gauges(read: { queue: () => { running: number; queued: number }; sessions: () => { live: number; starting: number; ending: number } }): void {
  // One server per process, except in tests: the last one's gauges are the ones read.
  for (const name of ['playground_build_queue', 'playground_sessions']) registry.removeSingleMetric(name);
  new client.Gauge({
    name: 'playground_build_queue',
    help: 'Builds running and waiting.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const q = read.queue();
      this.set({ state: 'running' }, q.running);
      this.set({ state: 'waiting' }, q.queued);
    },
  });
  new client.Gauge({
    name: 'playground_sessions',
    help: 'Sessions on this replica: live, starting, ending (their plugin thread still exiting).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = read.sessions();
      for (const state of ['live', 'starting', 'ending'] as const) this.set({ state }, s[state]);
    },
  });
}
