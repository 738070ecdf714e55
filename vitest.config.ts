import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles the renderer's .svelte.ts state classes (runes) for test/renderer/.
  plugins: [svelte({ configFile: 'renderer/svelte.config.js' })],
  test: {
    include: ['test/**/*.test.ts'],
    // Real child processes, real SQLite files: keep parallelism to the two cores we have.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
