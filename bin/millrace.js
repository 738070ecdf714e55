#!/usr/bin/env node
// Entry point of the `millrace` command: the CLI as `npm run build` bundled it (dist/cli/, faster
// to load), else as tsc compiled it (dist/main/cli/). Both are built by `npm install`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `millrace runs list | head`: a reader that stops early is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// `millrace --version` alone needs nothing of the CLI (its own handling in main.ts says the same).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}

const bundled = new URL('../dist/cli/main.js', import.meta.url);
const compiled = new URL('../dist/main/cli/main.js', import.meta.url);
const mtime = (u) => (existsSync(fileURLToPath(u)) ? statSync(u).mtimeMs : -1);
// A bundle older than the compiled files (a bare `tsc` since) would run stale code: use those.
const entry = mtime(bundled) >= mtime(compiled) && mtime(bundled) >= 0 ? bundled : mtime(compiled) >= 0 ? compiled : undefined;
if (!entry) {
  process.stderr.write('millrace: the CLI is not built yet; run `npm install` (or `npm run build`) in the millrace folder\n');
  process.exit(2);
}
await import(entry.href);
