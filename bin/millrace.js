#!/usr/bin/env node
// Entry point of the `millrace` command: the compiled CLI lives in dist/ (built by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('millrace: the CLI is not built yet; run `npm install` (or `npm run build`) in the millrace folder\n');
  process.exit(2);
}
await import(entry.href);
