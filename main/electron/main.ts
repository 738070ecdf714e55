// The Electron main process: hosts the same core as `millrace serve` (core-host.ts) and shows the
// renderer in one window. Only wiring lives here; every decision is a pure function in this
// folder, tested without the Electron binary (test/electron/).
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, screen, session, shell, Tray } from 'electron';
import type { FileResult } from '../../shared/api/define.js';
import { UserError } from '../../shared/errors.js';
import { dispatch } from '../core/dispatch.js';
import { toWire } from '../core/wire-errors.js';
import { packageRoot } from '../package-root.js';
import { CONFIG_FILE } from '../workspace/workspace.js';
import { dispositionFor, fileCallFor } from './app-files.js';
import { startCore, type Core } from '../core/host.js';
import { desktopServices } from '../core/services.js';
import { appResponseHeaders } from './csp.js';
import { parseDesktopArgs } from './desktop-args.js';
import { forwardRunEvents, registerIpcBridge, sendBridgeEvent } from './ipc-bridge.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { menuTemplate } from './menu-template.js';
import { navigationDecision, newWindowDecision, permissionDecision } from './navigation.js';
import { APP_ENTRY, APP_SCHEME, confineToRoot, contentTypeFor, resolveAppFile } from './protocol.js';
import { QuitGuard, quitQuestion } from './quit-guard.js';
import { addRecent, parseRecent, startWorkspace } from './recent-workspaces.js';
import { noticeFor, RunTally, trayTitle, trayTooltip } from './run-status.js';
import { TRAY_ICON_PNG_BASE64 } from './tray-icon.js';
import { windowOptions } from './window-options.js';
import { restoreWindowState, windowStateToSave } from './window-state.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererRoot = join(packageRoot(), 'dist', 'renderer');
const DOCS_URL = 'https://github.com/millrace/millrace/blob/main/docs/desktop.md';

// The userData folder (window state, recent workspaces) is named after this, in dev as packaged.
app.setName('Millrace');
// Before ready: the app's scheme behaves like https (origin, fetch, secure context).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

const isWorkspace = (dir: string) => existsSync(join(dir, CONFIG_FILE));
const stateFile = (name: string) => join(app.getPath('userData'), name);
const warn = (m: string) => process.stderr.write(`millrace: ${m}\n`);

let core: Core | undefined;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let recent = parseRecent(readJsonFile(stateFile('recent-workspaces.json')));
let stopCoreWiring: Array<() => void> = [];
const tally = new RunTally();
const quit = new QuitGuard();

function showWindow(): void {
  if (!win || win.isDestroyed()) createWindow();
  else {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }
}

function createWindow(): void {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const state = restoreWindowState(readJsonFile(stateFile('window-state.json')), workAreas);
  const w = new BrowserWindow(windowOptions({ bounds: state, preload: join(here, 'preload.cjs') }));
  win = w;
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  w.on('close', () => writeJsonFile(stateFile('window-state.json'), windowStateToSave(w.getNormalBounds(), w.isMaximized())));
  w.on('focus', () => {
    tally.resetFailed();
    updateTray();
  });
  void w.loadURL(APP_ENTRY);
}

function updateTray(): void {
  if (!tray || !core) return;
  tray.setToolTip(trayTooltip(tally.counts, core.ws.dir));
  if (process.platform === 'darwin') tray.setTitle(trayTitle(tally.counts));
}

function createTray(): void {
  tray = new Tray(nativeImage.createFromDataURL(`data:image/png;base64,${TRAY_ICON_PNG_BASE64}`).resize({ width: 16, height: 16 }));
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Show Millrace', click: showWindow }, { type: 'separator' }, { role: 'quit' }]));
  tray.on('click', showWindow);
  updateTray();
}

function buildMenu(): void {
  const actions = {
    openWorkspace: () => void pickWorkspace(false),
    newWorkspace: () => void pickWorkspace(true),
    openRecent: (dir: string) => void switchWorkspace(dir, false),
    clearRecent: () => {
      recent = [];
      writeJsonFile(stateFile('recent-workspaces.json'), recent);
      buildMenu();
    },
    openDocs: () => void shell.openExternal(DOCS_URL),
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, recent, actions, { devTools: !app.isPackaged })));
}

function notify(e: Parameters<typeof noticeFor>[0]): void {
  if (!Notification.isSupported()) return;
  const describe = (runId: string) => {
    const row = core?.ws.store.runs.state(runId);
    return row ? `${row.displayName} (${row.experiment})` : `Run ${runId}`;
  };
  const n = noticeFor(e, describe);
  if (!n) return;
  const shown = new Notification({ title: n.title, body: n.body });
  shown.on('click', () => {
    showWindow();
    if (win) sendBridgeEvent([win.webContents], { event: 'navigate', payload: { view: 'run', runId: n.runId } });
  });
  shown.show();
}

async function openCore(dir: string, create: boolean): Promise<void> {
  const args = parseDesktopArgs(process.argv.slice(app.isPackaged ? 1 : 2));
  core = await startCore(dir, { create, services: desktopServices, server: { port: args.port }, portFallback: true, warn });
  const c = core;
  stopCoreWiring = [
    forwardRunEvents(c.runs, () => (win && !win.isDestroyed() ? [win.webContents] : [])),
    c.runs.subscribe((e) => {
      if (tally.apply(e)) updateTray();
      notify(e);
    }),
  ];
  recent = addRecent(recent, dir);
  writeJsonFile(stateFile('recent-workspaces.json'), recent);
  buildMenu();
  updateTray();
}

async function closeCore(): Promise<void> {
  for (const stop of stopCoreWiring.splice(0)) stop();
  const c = core;
  core = undefined;
  await c?.dispose();
}

async function askToCancelRuns(): Promise<boolean> {
  const n = core?.inFlight() ?? 0;
  if (!n) return true;
  const q = quitQuestion(n);
  const { response } = await dialog.showMessageBox({ type: 'warning', ...q, defaultId: 1, cancelId: 1, noLink: true });
  return response === 0;
}

async function switchWorkspace(dir: string, create: boolean): Promise<void> {
  if (core && dir === core.ws.dir) return;
  if (!create && !isWorkspace(dir)) {
    dialog.showErrorBox('Not a Millrace workspace', `${dir} has no ${CONFIG_FILE}. Use File > New Workspace… to create one there.`);
    return;
  }
  if (!(await askToCancelRuns())) return;
  const previous = core?.ws.dir;
  await closeCore();
  try {
    await openCore(dir, create);
  } catch (e) {
    dialog.showErrorBox('Cannot open the workspace', `${dir}: ${(e as Error).message}`);
    if (previous) await openCore(previous, false);
  }
  if (win && !win.isDestroyed()) win.webContents.reload();
}

async function pickWorkspace(create: boolean): Promise<void> {
  const r = await dialog.showOpenDialog({
    title: create ? 'New workspace: choose or create an empty folder' : 'Open a Millrace workspace',
    buttonLabel: create ? 'Create Workspace Here' : 'Open Workspace',
    properties: ['openDirectory', 'createDirectory'],
  });
  if (r.canceled || !r.filePaths[0]) return;
  const dir = r.filePaths[0];
  await switchWorkspace(dir, create && !isWorkspace(dir));
}

function secureWebContents(): void {
  app.on('web-contents-created', (_e, wc) => {
    wc.setWindowOpenHandler(({ url }) => {
      if (newWindowDecision(url) === 'external') void shell.openExternal(url);
      return { action: 'deny' };
    });
    const guard = (e: Electron.Event, url: string) => {
      const d = navigationDecision(url);
      if (d === 'allow') return;
      e.preventDefault();
      if (d === 'external') void shell.openExternal(url);
    };
    wc.on('will-navigate', guard);
    wc.on('will-redirect', guard);
    wc.on('will-attach-webview', (e) => e.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  session.defaultSession.setDevicePermissionHandler(() => false);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Millrace</title>
<p style="font-family:sans-serif">The UI is not built: run <code>npm start</code> (or <code>npm run build:renderer</code>) in the millrace folder.</p>`;

/** A file call of the contract (an output download, an image metric) answered on the app protocol. */
async function answerFileCall(name: string, args: Record<string, string>): Promise<Response> {
  try {
    if (!core) throw new UserError('no workspace is open', 'unavailable');
    const f = (await dispatch(name, args, core.context())) as FileResult;
    const type = contentTypeFor(f.name);
    const headers = { ...appResponseHeaders(type), 'content-length': String(f.size), 'content-disposition': dispositionFor(f.name, type.startsWith('image/')) };
    return new Response(Readable.toWeb(createReadStream(f.path)) as ReadableStream, { headers });
  } catch (e) {
    const { status, body, internal } = toWire(e);
    if (internal) warn(`internal error in ${name}: ${(e as Error).stack ?? e}`);
    return new Response(JSON.stringify(body), { status, headers: appResponseHeaders('application/json') });
  }
}

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const notFound = () => new Response('not found', { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') });
    const fileCall = fileCallFor(req.url);
    if (fileCall) return answerFileCall(fileCall.name, fileCall.args);
    const file = resolveAppFile(rendererRoot, req.url);
    if (!file) return notFound();
    const real = await confineToRoot(rendererRoot, file);
    if (!real) return file.endsWith('index.html') ? new Response(NOT_BUILT, { headers: appResponseHeaders('text/html; charset=utf-8') }) : notFound();
    try {
      return new Response(await readFile(real), { headers: appResponseHeaders(contentTypeFor(real)) });
    } catch {
      return notFound();
    }
  });
}

async function onReady(): Promise<void> {
  secureWebContents();
  serveAppProtocol();
  registerIpcBridge(ipcMain, {
    dispatch,
    context: () => {
      if (!core) throw new UserError('no workspace is open (one is being opened); try again', 'unavailable');
      return core.context();
    },
    isOurWebContents: (sender) => !!win && !win.isDestroyed() && sender === win.webContents,
    logError: warn,
  });
  const args = parseDesktopArgs(process.argv.slice(app.isPackaged ? 1 : 2));
  const start = startWorkspace({ flag: args.workspace, env: process.env, recent, isWorkspace });
  try {
    await openCore(start.dir, start.create);
  } catch (e) {
    dialog.showErrorBox('Cannot open the workspace', `${start.dir}: ${(e as Error).message}\n\nChoose another one.`);
    await pickWorkspace(false);
    if (!core) {
      app.exit(1);
      return;
    }
  }
  createTray();
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it gets our argv through 'second-instance' and shows its window.
  app.quit();
} else {
  // Before the core is open there is no window to show yet: onReady creates it.
  const showWhenReady = () => {
    if (app.isReady() && core) showWindow();
  };
  app.on('second-instance', showWhenReady);
  app.on('activate', showWhenReady);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (e) => {
    const step = quit.onBeforeQuit(core?.inFlight() ?? 0);
    if (step === 'quit') return;
    e.preventDefault();
    if (step === 'wait') return;
    const shutdown = () =>
      closeCore()
        .catch((err) => warn(`error while stopping: ${(err as Error).message}`))
        .finally(() => {
          quit.stopped();
          tray?.destroy();
          app.quit();
        });
    if (step === 'shutdown') void shutdown();
    else
      void askToCancelRuns().then((yes) => {
        if (yes) {
          quit.confirm();
          void shutdown();
        } else quit.cancel();
      });
  });
  app.whenReady().then(onReady, (e) => {
    warn(`cannot start: ${(e as Error).stack ?? e}`);
    app.exit(1);
  });
}
