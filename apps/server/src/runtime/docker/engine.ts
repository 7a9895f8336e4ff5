import { createHash } from 'node:crypto';
import Docker from 'dockerode';
import { numberSetting as num, stringSetting } from '../../settings.js';

/** Everything the docker runtime can be told through the environment, with the Higress guide's defaults. */
export interface DockerSettings {
  gatewayImage: string;
  httpbinImage: string;
  /** The port httpbin listens on inside its image (80 for kennethreitz/httpbin, 8080 for go-httpbin). */
  httpbinPort: number;
  memoryMiB: number;
  cpus: number;
  startTimeoutMs: number;
  /** The address the server uses to reach ports published on the engine's host. */
  publishHost: string;
}


/** Ports are published on the engine's host: loopback for a local engine, the engine's address for tcp://. */
function defaultPublishHost(): string {
  const host = stringSetting('DOCKER_HOST') ?? '';
  return host.startsWith('tcp://') ? new URL(host.replace(/^tcp:/, 'http:')).hostname : '127.0.0.1';
}

export function dockerSettings(): DockerSettings {
  return {
    gatewayImage: stringSetting('PLAYGROUND_DOCKER_GATEWAY_IMAGE')!,
    httpbinImage: stringSetting('PLAYGROUND_DOCKER_HTTPBIN_IMAGE')!,
    httpbinPort: num('PLAYGROUND_DOCKER_HTTPBIN_PORT'),
    memoryMiB: num('PLAYGROUND_DOCKER_MEMORY_MB'),
    cpus: num('PLAYGROUND_DOCKER_CPUS'),
    startTimeoutMs: num('PLAYGROUND_DOCKER_START_TIMEOUT_MS'),
    publishHost: stringSetting('PLAYGROUND_DOCKER_PUBLISH_HOST') ?? defaultPublishHost(),
  };
}

/** A client for the engine DOCKER_HOST names (dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
export function dockerClient(): Docker {
  return new Docker();
}

/** Labels on everything we create, so leftovers of a crashed server can be found and removed. */
export const LABEL = {
  /** Which playground created it: two servers sharing an engine never sweep each other's sessions. */
  instance: 'playground.instance',
  session: 'playground.session',
  role: 'playground.role',
} as const;

/** A stable id for this server: its data folder, hashed. */
export function instanceId(dataDir: string): string {
  return createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
}

export interface DockerStatus {
  /** True when the engine answered and every image the runtime needs is present. */
  available: boolean;
  reason?: string;
  engineVersion?: string;
  images: Record<string, boolean>;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function imagePresent(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/**
 * Asks the engine whether it is there and which images it holds. Short timeouts: this runs at
 * start-up, and a missing engine must not slow the server down.
 */
export async function detectDocker(docker: Docker, images: string[], timeoutMs = 2000): Promise<DockerStatus> {
  const none = Object.fromEntries(images.map((i) => [i, false]));
  const where = stringSetting('DOCKER_HOST')!;
  let engineVersion: string;
  try {
    await withTimeout(docker.ping(), timeoutMs, `the Docker engine at ${where}`);
    engineVersion = (await withTimeout(docker.version(), timeoutMs, 'docker version')).Version;
  } catch (err) {
    return { available: false, reason: `no Docker engine answers at ${where} (${(err as Error).message}); set DOCKER_HOST to use one`, images: none };
  }
  const present: Record<string, boolean> = {};
  for (const image of images) present[image] = await withTimeout(imagePresent(docker, image), timeoutMs, `image inspect ${image}`).catch(() => false);
  const missing = images.filter((i) => !present[i]);
  if (missing.length) {
    return {
      available: false,
      reason: `the Docker engine answers but lacks ${missing.join(' and ')}; run ${missing.map((i) => `\`docker pull ${i}\``).join(', ')} and restart the server`,
      engineVersion,
      images: present,
    };
  }
  return { available: true, engineVersion, images: present };
}
