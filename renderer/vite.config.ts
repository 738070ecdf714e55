// Builds the Svelte renderer into dist/renderer/, which `millrace serve` hosts at `/`
// (and the Electron shell loads). `vite` in this folder serves it with a proxy to a running
// `millrace serve` (MILLRACE_URL, default http://127.0.0.1:8765) for development.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const target = process.env.MILLRACE_URL ?? 'http://127.0.0.1:8765';

export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
    // The Svelte compiler is most of a build; saying so on every build is noise.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { proxy: { '/api': { target, changeOrigin: true }, '/login': { target, changeOrigin: true } } },
});
