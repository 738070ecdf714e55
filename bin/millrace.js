#!/usr/bin/env node
// Entry point of the `millrace` command: the CLI as `npm run build` bundled it (dist/cli/, faster
// to load), else as tsc compiled it (dist/main/cli/). Both are built by `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundled = new URL('../dist/cli/main.js', import.meta.url);
const compiled = new URL('../dist/main/cli/main.js', import.meta.url);
const entry = [bundled, compiled].find((u) => existsSync(fileURLToPath(u)));
if (!entry) {
  process.stderr.write('millrace: the CLI is not built yet; run `npm install` (or `npm run build`) in the millrace folder\n');
  process.exit(2);
}
await import(entry.href);
