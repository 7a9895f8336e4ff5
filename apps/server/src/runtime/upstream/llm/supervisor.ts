import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChildSupervisor } from '../supervisor.js';

/** The built entry of the stand-in: beside this module in dist, or (from src, as the tests run) in the dist build. */
function mainModule(): string {
  const here = fileURLToPath(new URL('./main.js', import.meta.url));
  if (existsSync(here)) return here;
  const dist = fileURLToPath(new URL('../../../../dist/runtime/upstream/llm/main.js', import.meta.url));
  if (existsSync(dist)) return dist;
  throw new Error(`main.js not found beside ${here} or in dist: build the server first (pnpm build)`);
}

/** Runs the OpenAI-compatible LLM stand-in (server.ts) in its own Node process on loopback and keeps it running. */
export class LlmSupervisor extends ChildSupervisor {
  constructor() {
    super({
      name: 'llm',
      healthPath: '/health',
      command: (port) => ({ command: process.execPath, args: [mainModule(), '--port', String(port)] }),
    });
  }
}
