/** The LLM stand-in as a child process: `node main.js --port N` serves on 127.0.0.1:N. */
import { createLlmServer } from './server.js';

const at = process.argv.indexOf('--port');
const port = at < 0 ? NaN : Number(process.argv[at + 1]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('usage: main.js --port <1-65535>\n');
  process.exit(2);
}
createLlmServer().listen(port, '127.0.0.1');
