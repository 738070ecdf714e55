// electron-builder configuration: `npm run dist` builds the installers of this platform (needs
// internet: Electron and the native modules' Electron builds are downloaded). See docs/desktop.md.
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'dev.millrace.studio',
  productName: 'Millrace',
  copyright: 'Copyright © Millrace contributors',
  directories: { output: 'release', buildResources: 'build' },
  // The Electron build (it contains the core: dist/electron/main/...), the UI, and what the core
  // reads from the package at run time.
  files: [
    'dist/electron/**',
    'dist/renderer/**',
    'main/runtime/**',
    'main/store/migrations/**',
    'main/workspace/template/**',
    'main/executor/spawner.py',
    'package.json',
    '!**/*.map',
  ],
  // Read by other processes (python steps, the spawner helper), which cannot look inside the asar.
  asarUnpack: ['main/runtime/**', 'main/executor/spawner.py', 'main/workspace/template/**', '**/node_modules/better-sqlite3/**'],
  asar: true,
  // better-sqlite3 is rebuilt for Electron's ABI (@electron/rebuild; prebuilt binaries when there are).
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  // Electron's fuses (https://www.electronjs.org/docs/latest/tutorial/fuses), flipped in the
  // packaged binary. The executor starts steps with child_process.spawn (never fork() or
  // process.execPath), so it needs no RunAsNode.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: { target: ['AppImage', 'deb'], category: 'Development', maintainer: 'Millrace contributors <millrace@users.noreply.github.com>' },
  deb: { depends: ['python3'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true, perMachine: false },
  publish: null,
};

export default config;
