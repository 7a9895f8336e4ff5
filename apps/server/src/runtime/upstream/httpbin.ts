import { existsSync } from 'node:fs';
import path from 'node:path';
import { ChildSupervisor } from './supervisor.js';

/** Runs go-httpbin (installed by setup) on loopback and keeps it running. */
export class HttpbinSupervisor extends ChildSupervisor {
  readonly binary: string;

  constructor(binDir: string) {
    const binary = path.join(binDir, 'go-httpbin');
    super({
      name: 'httpbin',
      healthPath: '/status/200',
      command: (port) => {
        if (!existsSync(binary))
          throw new Error(`go-httpbin is not installed at ${binary}; run \`pnpm run setup\``);
        return { command: binary, args: ['-host', '127.0.0.1', '-port', String(port), '-log-level', 'OFF'] };
      },
    });
    this.binary = binary;
  }
}
