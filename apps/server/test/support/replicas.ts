// Replicas of the built server and Debian's nginx in front of them, for the replica test and bench:
// each replica a child process with a data folder of its own (downloads shared), PostgreSQL for
// what they share.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/runtime/upstream/free-port.js';
import { dataPaths, repoRoot } from '../../src/toolchain/paths.js';

export const NGINX = '/usr/sbin/nginx';

export interface Replica {
  url: string;
  child: ChildProcess;
  dataDir?: string;
}

/**
 * A replica with a data folder of its own (builds, work, shares file), as on its own machine; only
 * the downloads (Go modules, httpbin) are shared, so a build made by one reaches the other through
 * PostgreSQL.
 */
export async function startReplica(databaseUrl: string): Promise<Replica> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pg-replica-'));
  for (const shared of ['bin', 'gomodcache', 'gocache', 'setup-state.json']) symlinkSync(path.join(dataPaths().dataDir, shared), path.join(dataDir, shared));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'apps/server/dist/index.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      PLAYGROUND_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      PLAYGROUND_REPLICA_URL: url,
      PLAYGROUND_TRUST_PROXY: 'loopback',
      PLAYGROUND_SESSION_LISTENERS: '0',
      PLAYGROUND_QUIET: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('Playground ready') && resolve());
    child.once('exit', (code) => reject(new Error(`replica exited (${code})`)));
  });
  return { url, child, dataDir };
}

/** nginx in front of `backends`, round robin with no affinity, streaming both ways. */
export async function startNginx(backends: string[]): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-nginx-'));
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream playground { ${backends.map((b) => `server ${new URL(b).host};`).join(' ')} keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 8m;
    location / {
      proxy_pass http://playground;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 120s;
      proxy_next_upstream error timeout non_idempotent;
    }
  }
}
`,
  );
  const nginx = spawn(NGINX, ['-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () => {
      nginx.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function stopReplica(r: Replica): void {
  r.child.kill('SIGTERM');
  if (r.dataDir) rmSync(r.dataDir, { recursive: true, force: true });
}
