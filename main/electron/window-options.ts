// The BrowserWindow options: Electron's security checklist, as data that a test can read.
import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowBounds } from './window-state.js';

export interface WindowOptionsInput {
  bounds: WindowBounds;
  /** Absolute path of the compiled preload (CommonJS: sandboxed preloads cannot load ESM). */
  preload: string;
  icon?: string;
}

export function windowOptions(o: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...o.bounds,
    minWidth: 800,
    minHeight: 500,
    title: 'Millrace',
    // Shown on 'ready-to-show': no white flash, no half-painted window.
    show: false,
    backgroundColor: '#1e1e1e',
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: {
      preload: o.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: true,
    },
  };
}
