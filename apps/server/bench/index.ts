/**
 * `pnpm bench` for the server: build times beside a raw `go build` of the same source, measured in
 * the same run. Prints figures; asserts nothing.
 */
import { runBuildBench } from './build-bench.js';

process.env.PLAYGROUND_QUIET = '1';
await runBuildBench();
