// The window's options, the CSP, navigation and permissions: Electron's security checklist as data.
import { describe, expect, it } from 'vitest';
import { appResponseHeaders, contentSecurityPolicy } from '../../main/electron/csp.js';
import { isExternalUrl, navigationDecision, newWindowDecision, permissionDecision } from '../../main/electron/navigation.js';
import { windowOptions } from '../../main/electron/window-options.js';

describe('window options', () => {
  const o = windowOptions({ bounds: { width: 1000, height: 700, x: 10, y: 20 }, preload: '/app/preload.cjs' });

  it('isolate the renderer: context isolation, sandbox, no Node, no webview, the preload given', () => {
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
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
    });
  });

  it('use the restored bounds and show only when painted', () => {
    expect(o).toMatchObject({ width: 1000, height: 700, x: 10, y: 20, show: false });
  });
});

describe('content security policy', () => {
  const csp = contentSecurityPolicy();
  const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `))?.slice(name.length + 1);

  it('denies by default and allows scripts from the app only: no inline script, no eval, no remote origin', () => {
    expect(directive('default-src')).toBe("'none'");
    expect(directive('script-src')).toBe("'self'");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(directive('script-src')).not.toContain('unsafe-inline');
    for (const d of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors']) expect(directive(d)).toBe("'none'");
  });

  it('is sent with every response of the app protocol', () => {
    const h = appResponseHeaders('text/html; charset=utf-8');
    expect(h['content-security-policy']).toBe(csp);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('navigation, new windows and permissions', () => {
  it('keep the window on the app; web links go to the system browser; other schemes are dropped', () => {
    expect(navigationDecision('millrace://app/index.html#/runs/1')).toBe('allow');
    expect(navigationDecision('https://learn.microsoft.com/azure')).toBe('external');
    expect(navigationDecision('http://127.0.0.1:8765/')).toBe('external');
    expect(navigationDecision('file:///etc/passwd')).toBe('deny');
    expect(navigationDecision('javascript:alert(1)')).toBe('deny');
    expect(navigationDecision('millrace://evil/index.html')).toBe('deny');
    expect(navigationDecision('not a url')).toBe('deny');
  });

  it('never open a new Electron window', () => {
    expect(newWindowDecision('millrace://app/index.html')).toBe('deny');
    expect(newWindowDecision('https://example.com')).toBe('external');
    expect(newWindowDecision('mailto:a@b.c')).toBe('external');
    expect(isExternalUrl('smb://server/share')).toBe(false);
  });

  it('deny every permission request', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'unknown']) expect(permissionDecision(p)).toBe(false);
  });
});
