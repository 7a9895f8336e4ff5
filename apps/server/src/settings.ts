// Every environment variable the server reads, in one table: its default, what it does, and how it
// is checked. Values are read when asked for (tests set them before starting a server); a value that
// is set but wrong stops the server at start with a message naming the variable (checkSettings).
// The README's settings table is printed from this one (scripts/settings-table.ts; test/settings.test.ts
// keeps them in step).

type Kind = 'number' | 'string' | 'flag';

interface Setting {
  kind: Kind;
  /** Shown in the README; for numbers also the value used when the variable is unset. */
  default: number | string | undefined;
  group: 'server' | 'builds' | 'sessions' | 'shares' | 'docker';
  doc: string;
}

const n = (group: Setting['group'], def: number, doc: string) => ({ kind: 'number' as const, default: def, group, doc });
const str = (group: Setting['group'], def: string | undefined, doc: string) => ({ kind: 'string' as const, default: def, group, doc });
const flag = (group: Setting['group'], doc: string) => ({ kind: 'flag' as const, default: undefined, group, doc });

export const SETTINGS = {
  PORT: n('server', 8787, 'the port the server listens on'),
  HOST: str('server', '127.0.0.1', 'the address it listens on'),
  PLAYGROUND_DATA_DIR: str('server', undefined, 'downloads, caches, builds and shares (default `.data` in the repository)'),
  PLAYGROUND_WEB_DIST: str('server', undefined, 'the built web app it serves (default `apps/web/dist`)'),
  PLAYGROUND_TRUST_PROXY: str('server', undefined, "Express's `trust proxy` (e.g. `loopback` behind a local nginx): clients are then told apart by X-Forwarded-For"),
  PLAYGROUND_ALLOWED_HOSTS: str('server', undefined, 'host names clients may use besides loopback ones and the public URL\'s, comma separated (`*`: any; DNS-rebinding protection off)'),
  PLAYGROUND_PUBLIC_URL: str('server', undefined, 'how clients reach the server (e.g. `https://play.example.com`); its host is allowed'),
  PLAYGROUND_REPLICA_URL: str('server', undefined, 'how the other replicas reach this one (e.g. `http://10.0.0.5:8787`); with DATABASE_URL, turns on running as one of several replicas'),
  PLAYGROUND_DRAIN_MS: n('server', 10_000, 'on SIGTERM, how long live sessions may go on while new ones are refused'),
  PLAYGROUND_LOG: flag('server', 'structured logs also under tests'),
  PLAYGROUND_QUIET: flag('server', 'no info and warn logs (benchmarks)'),
  GO: str('server', 'go', 'the Go command (1.24 or newer)'),
  DATABASE_URL: str('shares', undefined, 'PostgreSQL for shares (several servers); SQLite in the data folder otherwise'),
  PLAYGROUND_SHARE_FILE: str('shares', undefined, 'the SQLite file of shares (default `shares.sqlite` in the data folder)'),
  PLAYGROUND_MAX_SHARE_BYTES: n('shares', 512 * 1024, 'the largest shared scenario'),
  PLAYGROUND_SHARES_PER_MINUTE: n('shares', 30, 'shares one client may make per minute'),
  PLAYGROUND_SHARES_MAX_MB: n('shares', 1024, 'all shares together; past it new shares answer 507'),
  PLAYGROUND_SHARE_RETENTION_DAYS: n('shares', 0, 'shares older than this are deleted (0: kept for ever)'),
  PLAYGROUND_BUILD_SLOTS: n('builds', 0, 'builds at once (0: half the cores)'),
  PLAYGROUND_BUILD_QUEUE: n('builds', 64, 'builds that may wait for a slot, in all'),
  PLAYGROUND_BUILD_QUEUE_PER_CLIENT: n('builds', 4, 'builds one client may have waiting (clients are served in turn)'),
  PLAYGROUND_BUILD_SECONDS_PER_MINUTE: n('builds', 120, 'compile time one client may use per minute; past it new builds answer 429 with when to retry (0: no budget)'),
  PLAYGROUND_SPECULATIVE_BUILDS: str('builds', '1', '`0`: no speculative builds (the editor builds the sources after a pause in typing, on an idle queue)'),
  PLAYGROUND_BUILD_CACHE_MB: n('builds', 2048, 'the build cache (least recently used builds go first)'),
  PLAYGROUND_BUILD_TIMEOUT_MS: n('builds', 60_000, 'wall time of one build'),
  PLAYGROUND_BUILD_MEMORY_MB: n('builds', 2048, 'memory of one build (its whole process tree)'),
  PLAYGROUND_BUILD_OUTPUT_BYTES: n('builds', 256 * 1024, 'compiler output kept'),
  PLAYGROUND_MAX_WASM_MB: n('builds', 64, 'the largest module a build may produce'),
  PLAYGROUND_MAX_FILES: n('builds', 256, 'files in a project'),
  PLAYGROUND_MAX_SOURCE_BYTES: n('builds', 2 * 1024 * 1024, 'all files of a project together'),
  PLAYGROUND_MAX_DEPTH: n('builds', 8, 'folder levels of a path'),
  PLAYGROUND_MAX_DATA_FILE_BYTES: n('builds', 256 * 1024, 'one data file to embed'),
  PLAYGROUND_RESOLVE_TIMEOUT_MS: n('builds', 120_000, 'the dependency step of a project with its own go.mod'),
  PLAYGROUND_MAX_MODULES: n('builds', 300, 'modules that step may bring'),
  PLAYGROUND_MAX_MODULE_MB: n('builds', 300, 'bytes those modules may add to the module cache'),
  PLAYGROUND_RESOLVE_NETWORK: str('builds', '1', '`0`: the dependency step uses the module cache only'),
  PLAYGROUND_ALLOW_UNSANDBOXED: flag('builds', 'build without bubblewrap when it does not work (trusted users only)'),
  PLAYGROUND_BUILD_RUNTIME: str('builds', 'bwrap', '`docker`: build in a container instead'),
  PLAYGROUND_BUILD_IMAGE: str('builds', 'golang:1.24', 'the image of container builds'),
  PLAYGROUND_GOPLS: str('builds', '1', '`0`: no Go intelligence (gopls: completion, hover, signature help, definitions and diagnostics while typing)'),
  PLAYGROUND_GOPLS_MAX: n('builds', 4, 'gopls running at once (one per open project); when full, the client running the most stops its least recently used'),
  PLAYGROUND_GOPLS_PER_CLIENT: n('builds', 2, 'gopls one client may run; a new one stops its least recently used'),
  PLAYGROUND_GOPLS_MEMORY_MB: n('builds', 1024, 'memory of one gopls (its whole process tree); past it intelligence is off for that project'),
  PLAYGROUND_GOPLS_IDLE_MS: n('builds', 10 * 60_000, 'a gopls unused this long stops'),
  PLAYGROUND_GOPLS_START_TIMEOUT_MS: n('builds', 60_000, 'how long gopls may take to load a project; past it intelligence is off for that project'),
  PLAYGROUND_SESSIONS_PER_CLIENT: n('sessions', 8, 'live sessions of one client; at the cap its least recently used session that no page watches ends for the new one'),
  PLAYGROUND_SESSIONS_TOTAL: n('sessions', 64, 'live sessions in all; when full, the client holding the most gives one up to a newcomer'),
  PLAYGROUND_SESSION_LISTENERS: str('sessions', '1', '`0`: no loopback listener per session; gateways are reached at /gw/{id} on the main origin only'),
  PLAYGROUND_SESSION_IDLE_MS: n('sessions', 10 * 60_000, 'a session unused this long ends'),
  PLAYGROUND_SESSION_IN_FLIGHT: n('sessions', 32, 'requests one session serves at once (API and gateway port each)'),
  PLAYGROUND_REQUEST_BODY_BYTES: n('sessions', 1024 * 1024, 'the largest request body'),
  PLAYGROUND_MAX_HEADERS: n('sessions', 100, 'headers of one request'),
  PLAYGROUND_VM_MEMORY_MB: n('sessions', 256, 'memory of one plugin VM'),
  PLAYGROUND_CALLBACK_TIMEOUT_MS: n('sessions', 2000, 'time of one plugin callback; past it the VM is stopped'),
  PLAYGROUND_TICK_BUDGET_PERCENT: n('sessions', 50, 'share of the time a session\'s ticks (all its VMs together) may take: after a tick of d ms the next waits d × (100 − p) / p ms; ticks due sooner are skipped'),
  PLAYGROUND_STREAM_TIMEOUT_MS: n('sessions', 10_000, 'a stream stalled this long ends (the exchange says so)'),
  PLAYGROUND_REDIS_MEMORY_MB: n('sessions', 32, "data of one session's Redis service"),
  DOCKER_HOST: str('docker', 'unix:///var/run/docker.sock', 'the engine of the docker runtime'),
  PLAYGROUND_DOCKER_GATEWAY_IMAGE: str('docker', 'higress-registry.cn-hangzhou.cr.aliyuncs.com/higress/gateway:v2.0.7', 'the Higress gateway image'),
  PLAYGROUND_DOCKER_HTTPBIN_IMAGE: str('docker', 'kennethreitz/httpbin', 'the httpbin image'),
  PLAYGROUND_DOCKER_HTTPBIN_PORT: n('docker', 80, "httpbin's port in its image (8080 for mccutchen/go-httpbin)"),
  PLAYGROUND_DOCKER_MEMORY_MB: n('docker', 512, 'memory of each container'),
  PLAYGROUND_DOCKER_CPUS: n('docker', 1, 'CPUs of each container'),
  PLAYGROUND_DOCKER_START_TIMEOUT_MS: n('docker', 30_000, 'how long containers may take to start'),
  PLAYGROUND_DOCKER_PUBLISH_HOST: str('docker', undefined, 'where published ports are reached (default 127.0.0.1, or the host of a tcp:// DOCKER_HOST)'),
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
type NumberName = { [K in SettingName]: (typeof SETTINGS)[K]['kind'] extends 'number' ? K : never }[SettingName];
type StringName = { [K in SettingName]: (typeof SETTINGS)[K]['kind'] extends 'string' ? K : never }[SettingName];
type FlagName = { [K in SettingName]: (typeof SETTINGS)[K]['kind'] extends 'flag' ? K : never }[SettingName];

const raw = (name: SettingName): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

function problem(name: SettingName): string | undefined {
  const v = raw(name);
  if (v === undefined) return undefined;
  const s: Setting = SETTINGS[name];
  if (s.kind === 'number' && !(Number.isFinite(Number(v)) && Number(v) >= 0)) return `${name}=${v} is not a number >= 0`;
  if (s.kind === 'flag' && v !== '0' && v !== '1') return `${name}=${v} must be 1 or 0`;
  return undefined;
}

/** A number setting; a value that is set but wrong throws a message naming the variable. */
export function numberSetting(name: NumberName): number {
  const wrong = problem(name);
  if (wrong) throw new Error(wrong);
  const v = raw(name);
  return v === undefined ? (SETTINGS[name].default as number) : Number(v);
}

/** A string setting, or its default (undefined when it has none). */
export function stringSetting(name: StringName): string | undefined {
  return raw(name) ?? (SETTINGS[name].default as string | undefined);
}

/** A flag: set to 1. */
export function flagSetting(name: FlagName): boolean {
  const wrong = problem(name);
  if (wrong) throw new Error(wrong);
  return raw(name) === '1';
}

/** Every setting that is set but wrong, for the start-up check. */
export function checkSettings(): string[] {
  return (Object.keys(SETTINGS) as SettingName[]).map(problem).filter((p): p is string => p !== undefined);
}

/** Variables handed on unchanged to a tool the server runs (the docker CLI's own), not settings of ours. */
export function inheritedEnv(names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
}
