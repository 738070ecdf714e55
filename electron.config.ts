// electron-builder configuration (issue "Desktop shell" completes it: fuses, targets, signing).
// Packaging needs downloads and cannot run offline; see docs/desktop.md once it lands.
const config = {
  appId: 'dev.millrace.studio',
  productName: 'Millrace',
  directories: { output: 'release' },
  files: ['dist/**', 'main/runtime/**', 'main/store/migrations/**', 'main/workspace/template/**', 'package.json'],
  asarUnpack: ['main/runtime/**', '**/node_modules/better-sqlite3/**'],
  linux: { target: ['AppImage', 'deb'], category: 'Development' },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
  win: { target: ['nsis'] },
};

export default config;
