/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// In development Vite serves the UI and proxies the API (and nothing else) to
// the server; PLAYGROUND_API picks another server than the default one.
const api = process.env.PLAYGROUND_API ?? 'http://127.0.0.1:8787';

// Chunks that keep their hashed names (and so their year-long cached copies)
// across releases that change only the app's code:
// - `monaco`: Monaco and @monaco-editor/react, reached only through the
//   editor's dynamic import (src/editor/loadEditor.ts). Its languages
//   (basic-languages/<lang>/<lang>.js, imported by the contributions when a
//   file of that language opens) stay chunks of their own, and the editor
//   worker is built apart anyway (?worker).
// - `vendor`: React and Vite's preload helper, which the shell and Monaco both
//   use. Named here because Rollup would otherwise pull a manual chunk's
//   unassigned dependencies into it, and the shell would import `monaco`.
function chunkOf(id: string): string | undefined {
  const path = id.replace(/\\/g, '/');
  if (/\/node_modules\/(monaco-editor|@monaco-editor\/(react|loader)|state-local)\//.test(path)) {
    return /\/basic-languages\/([^/]+)\/\1\.js$/.test(path) ? undefined : 'monaco';
  }
  if (/\/node_modules\/(react|react-dom|scheduler)\//.test(path) || /^\0(vite\/preload-helper|commonjsHelpers)/.test(path)) return 'vendor';
  return undefined;
}

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    // The entry (the shell) stays far below this; Monaco's own chunk is the one above it.
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    rollupOptions: {
      output: {
        manualChunks: chunkOf,
      },
    },
  },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
