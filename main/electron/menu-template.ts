// The application menu as data: the usual roles and shortcuts, plus the workspace picker.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openWorkspace(): void;
  newWorkspace(): void;
  openRecent(dir: string): void;
  clearRecent(): void;
  openDocs(): void;
}

export function menuTemplate(platform: NodeJS.Platform, recent: string[], a: MenuActions, opts: { devTools?: boolean } = {}): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [...recent.map((dir): MenuItemConstructorOptions => ({ label: dir, click: () => a.openRecent(dir) })), { type: 'separator' }, { label: 'Clear Recent', click: a.clearRecent }]
    : [{ label: 'No Recent Workspaces', enabled: false }];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Workspace…', accelerator: 'CmdOrCtrl+Shift+N', click: a.newWorkspace },
      { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: a.openWorkspace },
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...(opts.devTools ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Millrace Documentation', click: a.openDocs }] },
  ];
}
