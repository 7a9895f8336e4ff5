/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// In development Vite serves the UI and proxies the API (and nothing else) to
// the server; PLAYGROUND_API picks another server than the default one.
const api = process.env.PLAYGROUND_API ?? 'http://127.0.0.1:8787';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
