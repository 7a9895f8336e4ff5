/**
 * `pnpm bench` for the server: build times beside a raw `go build` of the same source, and session
 * latency beside straight-to-httpbin, measured in the same run. Prints figures; asserts nothing.
 * `pnpm bench builds|resolve|sessions|replicas|lsp` runs one part.
 */
import { runBuildBench } from './build-bench.js';
import { runResolveBench } from './resolve-bench.js';
import { runReplicaBench } from './replica-bench.js';
import { runSessionBench } from './session-bench.js';
import { runLspBench } from './lsp-bench.js';

process.env.PLAYGROUND_QUIET = '1';
const only = process.argv[2];
if (!only || only === 'builds') await runBuildBench();
if (!only || only === 'resolve') await runResolveBench();
if (!only || only === 'sessions') await runSessionBench();
if (!only || only === 'lsp') await runLspBench();
if (!only || only === 'replicas') await runReplicaBench();
