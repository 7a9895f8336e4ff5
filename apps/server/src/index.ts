import type { AddressInfo } from 'node:net';
import { createApp } from './api/app.js';
import { refuseTunnels } from './runtime/gateway.js';
import { createPlayground } from './playground.js';
import { GoMissingError } from './toolchain/go.js';
import { webDistDir } from './toolchain/paths.js';
import { checkSettings, numberSetting, stringSetting } from './settings.js';
import { log } from './util/log.js';

/** Starts the playground server; PORT (default 8787) and HOST (default 127.0.0.1) choose where. */
async function main(): Promise<void> {
  const wrong = checkSettings();
  if (wrong.length) throw new Error(`bad settings: ${wrong.join('; ')}`);
  const playground = await createPlayground();
  const app = createApp({ ...playground, webDist: webDistDir });
  const host = stringSetting('HOST')!;
  const server = app.listen(numberSetting('PORT'), host, () => {
    const { port } = server.address() as AddressInfo;
    log.info('server.listening', { url: `http://${host}:${port}` });
    // The one line for people, beside the structured one for tools.
    console.log(`Playground ready: http://${host}:${port}`);
  });
  refuseTunnels(server);
  let stopping = false;
  // SIGTERM drains: new sessions are refused (and health says so) while live ones get a grace
  // period; then the server closes. SIGINT (Ctrl+C) stops at once.
  const stop = async (graceMs: number) => {
    if (stopping) return;
    stopping = true;
    log.info('server.draining', { graceMs, sessions: playground.sessions.size });
    // Builds under way finish too (a Run waits for its build).
    await playground.sessions.drain(graceMs, () => {
      const q = playground.builder.info().queue;
      return q.running + q.queued > 0;
    });
    server.close();
    server.closeAllConnections();
    await playground.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(numberSetting('PLAYGROUND_DRAIN_MS')));
}

main().catch((err) => {
  if (err instanceof GoMissingError) log.error('server.no-go', { message: err.message });
  else log.error('server.failed', { message: (err as Error).message });
  process.exit(1);
});
