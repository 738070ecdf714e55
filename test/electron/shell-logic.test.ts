// Tray counts, notifications, the quit sequence and the menu: the shell's decisions without Electron.
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api/events.js';
import { menuTemplate, type MenuActions } from '../../main/electron/menu-template.js';
import { QuitGuard, quitQuestion } from '../../main/electron/quit-guard.js';
import { noticeFor, RunTally, trayTitle, trayTooltip } from '../../main/electron/run-status.js';

const run = (runId: string, status: string, error?: string): ApiEvent => ({ type: 'run', runId, status: status as never, ...(error ? { error } : {}) });

describe('tray counts and notifications', () => {
  it('counts runs in flight and failures until reset', () => {
    const t = new RunTally();
    expect(t.apply(run('a', 'NotStarted'))).toBe(true);
    expect(t.apply(run('a', 'Running'))).toBe(false);
    t.apply(run('b', 'Running'));
    expect(t.apply({ type: 'step', runId: 'a', stepRunId: 's', step: 'x', status: 'Failed' })).toBe(false);
    expect(t.counts).toEqual({ running: 2, failed: 0 });
    t.apply(run('a', 'Failed', 'boom'));
    t.apply(run('b', 'Completed'));
    expect(t.counts).toEqual({ running: 0, failed: 1 });
    expect(trayTooltip(t.counts, '/ws')).toBe('Millrace: idle, 1 failed\n/ws');
    expect(trayTitle({ running: 2, failed: 1 })).toBe('▶2 ✖1');
    expect(trayTitle({ running: 0, failed: 0 })).toBe('');
    t.resetFailed();
    expect(t.counts).toEqual({ running: 0, failed: 0 });
  });

  it('notifies completed and failed runs (with the error), not steps or cancels', () => {
    expect(noticeFor(run('r1', 'Completed'), () => 'train (exp)')).toEqual({ title: 'Run completed', body: 'train (exp)', runId: 'r1' });
    expect(noticeFor(run('r2', 'Failed', 'step prep exited 1'))).toEqual({ title: 'Run failed', body: 'Run r2\nstep prep exited 1', runId: 'r2' });
    expect(noticeFor(run('r3', 'Canceled'))).toBeNull();
    expect(noticeFor(run('r3', 'Running'))).toBeNull();
    expect(noticeFor({ type: 'step', runId: 'r', stepRunId: 's', step: 'x', status: 'Completed' })).toBeNull();
  });
});

describe('quitting', () => {
  it('quits after stopping the core when nothing runs', () => {
    const q = new QuitGuard();
    expect(q.onBeforeQuit(0)).toBe('shutdown');
    expect(q.onBeforeQuit(0)).toBe('wait');
    q.stopped();
    expect(q.onBeforeQuit(0)).toBe('quit');
  });

  it('asks first with runs in flight; staying keeps the app open, confirming shuts down once', () => {
    const q = new QuitGuard();
    expect(q.onBeforeQuit(2)).toBe('ask');
    expect(q.onBeforeQuit(2)).toBe('wait'); // a second Cmd+Q while the question is shown
    q.cancel();
    expect(q.quitting).toBe(false);
    expect(q.onBeforeQuit(1)).toBe('ask');
    q.confirm();
    expect(q.quitting).toBe(true);
    expect(q.onBeforeQuit(1)).toBe('wait');
    q.stopped();
    expect(q.onBeforeQuit(1)).toBe('quit');
    expect(quitQuestion(1).message).toBe('1 pipeline run is in flight');
    expect(quitQuestion(3).detail).toMatch(/Canceled/);
  });
});

describe('application menu', () => {
  const calls: string[] = [];
  const actions: MenuActions = {
    openWorkspace: () => calls.push('open'),
    newWorkspace: () => calls.push('new'),
    openRecent: (d) => calls.push(`recent ${d}`),
    clearRecent: () => calls.push('clear'),
    openDocs: () => calls.push('docs'),
  };
  const item = (menu: any[], label: string) => menu.find((m) => m.label === label || m.role === label);

  it('has the workspace picker with shortcuts and the recent list', () => {
    const m = menuTemplate('linux', ['/a', '/b'], actions);
    const file = item(m, '&File').submenu;
    expect(item(file, 'Open Workspace…').accelerator).toBe('CmdOrCtrl+O');
    expect(item(file, 'New Workspace…').accelerator).toBe('CmdOrCtrl+Shift+N');
    const recent = item(file, 'Open Recent').submenu;
    recent[1].click();
    item(recent, 'Clear Recent').click();
    item(file, 'Open Workspace…').click();
    expect(calls).toEqual(['recent /b', 'clear', 'open']);
    expect(item(file, 'quit').accelerator).toBe('Ctrl+Q');
    expect(m.map((x) => x.role ?? x.label)).toEqual(['&File', 'editMenu', '&View', 'windowMenu', 'help']);
    expect(item(m, '&View').submenu.some((x: any) => x.role === 'toggleDevTools')).toBe(false);
  });

  it('follows macOS conventions (app menu, Close in File) and shows an empty recent list', () => {
    const m = menuTemplate('darwin', [], actions, { devTools: true });
    expect(m[0].role).toBe('appMenu');
    const file = item(m, '&File').submenu;
    expect(item(file, 'close')).toBeTruthy();
    expect(item(file, 'Open Recent').submenu).toEqual([{ label: 'No Recent Workspaces', enabled: false }]);
    expect(item(m, '&View').submenu.some((x: any) => x.role === 'toggleDevTools')).toBe(true);
  });
});
