// `npm start` (scripts/start.mjs): the launch decision, and the fallback to `millrace serve` where
// Electron cannot run (this machine: no display, no binary), run for real. Plus the packaging
// config, checked against electron-builder's own schema.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fallbackLine, hasDisplay, launchDecision } from '../../main/electron/launch-decision.js';
import { unpackedPath } from '../../main/package-root.js';
import { repoRoot, tempWorkspace } from '../helpers/workspace.js';
import { ensureElectronBuild } from './electron-build.js';

describe('launch decision', () => {
  const withDisplay = { DISPLAY: ':0' };
  it('launches Electron when there is a display and a binary', () => {
    expect(launchDecision({ platform: 'linux', env: withDisplay, electronBinary: '/e/electron' })).toEqual({ mode: 'electron', binary: '/e/electron' });
    expect(launchDecision({ platform: 'darwin', env: {}, electronBinary: '/e/Electron' })).toEqual({ mode: 'electron', binary: '/e/Electron' });
  });

  it('downloads a missing binary first, and serves when that fails', () => {
    expect(launchDecision({ platform: 'win32', env: {}, electronBinary: null })).toEqual({ mode: 'download' });
    const d = launchDecision({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, electronBinary: null, downloadError: 'offline? getaddrinfo ENOTFOUND github.com' });
    expect(d).toEqual({ mode: 'serve', reason: 'the Electron binary could not be downloaded (offline? getaddrinfo ENOTFOUND github.com)' });
  });

  it('serves without a display (before trying any download), when told to, or without an Electron build of better-sqlite3', () => {
    expect(launchDecision({ platform: 'linux', env: {}, electronBinary: null })).toMatchObject({ mode: 'serve', reason: expect.stringContaining('no display') });
    expect(launchDecision({ platform: 'darwin', env: { MILLRACE_NO_ELECTRON: '1' }, electronBinary: '/e' })).toMatchObject({ mode: 'serve' });
    expect(launchDecision({ platform: 'linux', env: withDisplay, electronBinary: '/e', nativeError: 'no compiler' })).toMatchObject({ mode: 'serve', reason: expect.stringContaining('better-sqlite3') });
    expect(hasDisplay('linux', {})).toBe(false);
    expect(hasDisplay('freebsd', { DISPLAY: ':1' })).toBe(true);
    expect(fallbackLine('x').split('\n')).toHaveLength(1);
  });
});

describe('npm start on a machine without a display', () => {
  // start.mjs imports the compiled decision; `npm test` builds the core only.
  beforeAll(ensureElectronBuild, 120_000);

  it('says why in one line and serves the same UI with `millrace serve`, printing the URL; Ctrl-C stops it', async () => {
    const tw = tempWorkspace();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, MILLRACE_WORKSPACE: tw.dir };
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;
      delete env.MILLRACE_NO_ELECTRON;
      const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), '--no-build', '--port', '0'], { cwd: tw.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const end = Date.now() + 30_000;
      while (!/at (http:\/\/127\.0\.0\.1:\d+)/.test(out) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      expect(url, `${out}\n${err}`).toBeTruthy();
      const because = err.split('\n').filter((l) => l.includes('cannot start the desktop app'));
      expect(because).toEqual([fallbackLine('no display (neither DISPLAY nor WAYLAND_DISPLAY is set)')]);
      expect(out).toContain(tw.dir);
      const res = await fetch(`${url}/api/v1/info`);
      expect(res.status).toBe(401); // the same guarded API; the studio link printed by serve logs in
      child.kill('SIGINT');
      expect(await exited, err).toBe(0);
    } finally {
      tw.cleanup();
    }
  });
});

describe('npm start where the Electron binary cannot be downloaded', () => {
  // A display is claimed, the binary is missing, and the download goes to a closed local port
  // with an empty cache: the offline case, deterministic even on a machine with internet.
  it.skipIf(existsSync(join(repoRoot, 'node_modules', 'electron', 'path.txt')))('tries once, then says why in one line and serves', async () => {
    const tw = tempWorkspace();
    const cache = join(tw.dir, '.electron-cache');
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, MILLRACE_WORKSPACE: tw.dir, DISPLAY: ':99', ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache };
      delete env.MILLRACE_NO_ELECTRON;
      const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), '--no-build', '--port', '0'], { cwd: tw.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const end = Date.now() + 45_000;
      while (!/at http:\/\/127\.0\.0\.1:\d+/.test(out) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(out, err).toMatch(/at http:\/\/127\.0\.0\.1:\d+/);
      const because = err.split('\n').filter((l) => l.includes('cannot start the desktop app'));
      expect(because).toHaveLength(1);
      expect(because[0]).toContain('the Electron binary could not be downloaded');
      expect(existsSync(join(repoRoot, 'node_modules', 'electron', 'path.txt'))).toBe(false);
      child.kill('SIGINT');
      expect(await exited, err).toBe(0);
    } finally {
      tw.cleanup();
    }
  });
});

describe('packaging config', () => {
  it('is valid for electron-builder, with the fuses, targets and the native rebuild the issue asks for', async () => {
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const { default: config } = await import('../../electron.config.js');
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
    expect(config.linux!.target).toEqual(['AppImage', 'deb']);
    expect(config.mac!.target).toEqual(['dmg']);
    expect(config.win!.target).toEqual(['nsis']);
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electron/main/electron/main.js');
    expect(pkg.scripts.dist).toContain('electron-builder --config electron.config.ts');
  });

  it("keeps Electron inside main/electron: nothing else imports it (shared/ and renderer/ stay portable)", () => {
    const files = (d: string): string[] =>
      existsSync(d) ? readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'node_modules' ? [] : files(join(d, e.name))) : /\.(ts|svelte|mts|cts)$/.test(e.name) ? [join(d, e.name)] : [])) : [];
    const outside = ['main', 'shared', 'renderer'].flatMap((d) => files(join(repoRoot, d))).filter((f) => !f.startsWith(join(repoRoot, 'main', 'electron')));
    for (const f of outside) expect(/from ['"]electron['"]|require\(['"]electron['"]\)/.test(readFileSync(f, 'utf8')), f).toBe(false);
  });

  it('maps package paths that other processes read to the unpacked copy next to the asar', () => {
    expect(unpackedPath('/opt/Millrace/resources/app.asar/main/runtime/python')).toBe('/opt/Millrace/resources/app.asar.unpacked/main/runtime/python');
    expect(unpackedPath('C:\\Millrace\\resources\\app.asar\\main')).toBe('C:\\Millrace\\resources\\app.asar.unpacked\\main');
    expect(unpackedPath('/home/u/millrace/main/runtime/python')).toBe('/home/u/millrace/main/runtime/python');
    expect(unpackedPath('/home/u/app.asar.d/x')).toBe('/home/u/app.asar.d/x');
  });

  it('needs no RunAsNode: the executor starts processes with spawn, never fork() or process.execPath', () => {
    const dir = join(repoRoot, 'main');
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
    // node-binary.ts is the one place that names process.execPath, and only outside Electron.
    const binary = join(dir, 'node-binary.ts');
    expect(readFileSync(binary, 'utf8')).toMatch(/if \(process\.versions\.electron\) return [^;]*;\s*return process\.execPath;/);
    for (const f of files(dir).filter((f) => !f.includes(`${join('main', 'electron')}`) && f !== binary)) {
      const text = readFileSync(f, 'utf8');
      expect(/\bfork\(|process\.execPath|ELECTRON_RUN_AS_NODE/.test(text), f).toBe(false);
    }
  });
});
