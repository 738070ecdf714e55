// `npm start`: build, then launch the desktop app. Where Electron cannot run (no display, the
// binary cannot be downloaded, better-sqlite3 cannot be built for Electron), say why in one line
// and serve the same UI with `millrace serve` instead (it prints the URL to open).
// Arguments after `--` go to the app (`--workspace DIR`, `--port N`) or to `millrace serve`.
// --no-build skips the build (tests, repeated starts).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const noBuild = argv.includes('--no-build');
const passArgs = argv.filter((a) => a !== '--no-build');
const say = (m) => process.stderr.write(`${m}\n`);

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...opts });
}

if (!noBuild) {
  // `build` builds the core and the UI; `build:electron` the main process and the preload.
  for (const script of ['build', 'build:electron']) {
    if (run('npm', ['run', '--silent', script]).status !== 0) process.exit(1);
  }
}
if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) say('millrace: note: the UI is not built (dist/renderer/index.html is missing)');

const { launchDecision, fallbackLine } = await import(pathToFileURL(join(root, 'dist', 'electron', 'main', 'electron', 'launch-decision.js')).href);

const electronDir = join(root, 'node_modules', 'electron');

/** The Electron executable when it is there (electron's own index.js would download it instead). */
function electronBinary() {
  try {
    const rel = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const bin = join(electronDir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** Electron >= 45 downloads its binary on first use: try it once, briefly and quietly. */
function downloadElectron() {
  if (!existsSync(join(electronDir, 'install.js'))) return 'the electron package is not installed (npm install)';
  say('millrace: downloading the Electron binary (first start)...');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0 && electronBinary()) return undefined;
  const text = `${r.stderr ?? ''}${r.error?.message ?? ''}`;
  const line = text.split('\n').find((l) => /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|network|RequestError|Error/.test(l)) ?? `exit ${r.status ?? r.signal}`;
  return `offline? ${line.trim().slice(0, 160)}`;
}

/**
 * better-sqlite3 built for Electron's ABI, in a cache folder: the copy in node_modules stays built
 * for Node, so the CLI and the tests keep working. Returns the .node file, or throws.
 */
function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  const dir = join(root, 'node_modules', '.cache', 'millrace-electron', `better-sqlite3-electron-${version}-${process.platform}-${process.arch}`);
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const src = join(root, 'node_modules', 'better-sqlite3');
  cpSync(src, dir, { recursive: true, filter: (p) => !p.startsWith(join(src, 'build')) });
  say(`millrace: building better-sqlite3 for Electron ${version} (first start)...`);
  const quiet = { cwd: dir, encoding: 'utf8', timeout: 600_000, shell: process.platform === 'win32' };
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  let r = spawnSync(bin('prebuild-install'), ['--runtime', 'electron', '--target', version, '--arch', process.arch], quiet);
  if (r.status !== 0) {
    r = spawnSync(bin('node-gyp'), ['rebuild', '--release', '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], quiet);
  }
  if (r.status !== 0 || !existsSync(binding)) {
    throw new Error(`${(r.stderr || r.error?.message || '').trim().split('\n').pop()?.slice(0, 160) ?? 'failed'}`);
  }
  return binding;
}

function serve(reason) {
  say(fallbackLine(reason));
  const child = spawn(process.execPath, [join(root, 'bin', 'millrace.js'), 'serve', ...passArgs], { cwd: process.cwd(), stdio: 'inherit' });
  forward(child);
}

function forward(child) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const facts = { platform: process.platform, env: process.env, electronBinary: electronBinary() };
let decision = launchDecision(facts);
if (decision.mode === 'download') {
  facts.downloadError = downloadElectron();
  facts.electronBinary = electronBinary();
  decision = launchDecision(facts);
}
let binding;
if (decision.mode === 'electron') {
  try {
    binding = electronSqliteBinding();
  } catch (e) {
    facts.nativeError = e.message;
    decision = launchDecision(facts);
  }
}
if (decision.mode === 'electron') {
  const env = { ...process.env, MILLRACE_SQLITE_BINDING: binding };
  delete env.ELECTRON_RUN_AS_NODE;
  forward(spawn(decision.binary, [root, ...passArgs], { cwd: process.cwd(), stdio: 'inherit', env }));
} else serve(decision.reason);
