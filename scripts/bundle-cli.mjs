// Bundles the compiled CLI (dist/main/cli/main.js) into dist/cli/: a few chunks load faster than
// the ~280 files tsc writes (issue 13: `runs list` 0.43 s -> 0.29 s here). Commands that need the
// server, the bridge or the runner import them on use, so they stay in chunks of their own.
// better-sqlite3 is native: it stays a package. dist/main/ stays as it is: the run executor's
// worker thread, the desktop app and the tests load it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * zod's `locales` namespace holds every language's messages (~310 KB of source, 40 % of zod in
 * the bundle) and is evaluated at start; Millrace speaks English only (its own messages say
 * what and where). Only `en` stays: zod registers it by default.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`) ? { path: 'zod-locales', namespace: 'zod-english-only', pluginData: dirname(join(args.resolveDir, args.path)) } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'main', 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'fsevents'],
  // Less to parse; names are kept, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  // CommonJS packages in an ES module bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __millraceRequire } from 'node:module'; const require = __millraceRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
});
