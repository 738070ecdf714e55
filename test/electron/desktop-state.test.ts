// Window state, recent workspaces, the start workspace and the command line of the desktop app.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDesktopArgs } from '../../main/electron/desktop-args.js';
import { readJsonFile, writeJsonFile } from '../../main/electron/json-file.js';
import { addRecent, MAX_RECENT, parseRecent, removeRecent, startWorkspace } from '../../main/electron/recent-workspaces.js';
import { DEFAULT_WINDOW_STATE, restoreWindowState, windowStateToSave } from '../../main/electron/window-state.js';

const dir = mkdtempSync(join(tmpdir(), 'millrace-desktop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const screen = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1000 };

describe('window state', () => {
  it('restores size and position saved on a display that is still there', () => {
    const saved = windowStateToSave({ x: 2000, y: 50, width: 1100, height: 800 }, true);
    const file = join(dir, 'window-state.json');
    writeJsonFile(file, saved);
    expect(restoreWindowState(readJsonFile(file), [screen, right])).toEqual({ x: 2000, y: 50, width: 1100, height: 800, maximized: true });
  });

  it('drops a position no display shows any more (monitor unplugged), keeping the size', () => {
    expect(restoreWindowState({ x: 2000, y: 50, width: 1100, height: 800, maximized: false }, [screen])).toEqual({ width: 1100, height: 800, maximized: false });
    expect(restoreWindowState({ x: 100, y: -500, width: 1100, height: 800 }, [screen])).not.toHaveProperty('x');
  });

  it('falls back to defaults on missing, damaged or absurd files, and fits the largest display', () => {
    expect(restoreWindowState(readJsonFile(join(dir, 'missing.json')), [screen])).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState('garbage', [screen])).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState({ width: 10, height: 'x', x: NaN, y: 0 }, [screen])).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState({ width: 5000, height: 4000 }, [screen])).toMatchObject({ width: 1920, height: 1040 });
  });
});

describe('recent workspaces', () => {
  it('keeps absolute paths, newest first, without duplicates, at most MAX_RECENT', () => {
    let list = parseRecent(['/a', '/b', '/a', 3, null]);
    expect(list).toEqual(['/a', '/b']);
    list = addRecent(list, '/b');
    expect(list).toEqual(['/b', '/a']);
    list = addRecent(list, 'rel/ws');
    expect(list[0]).toBe(resolve('rel/ws'));
    for (let i = 0; i < 20; i++) list = addRecent(list, `/w${i}`);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toBe('/w19');
    expect(removeRecent(['/a', '/b'], '/a')).toEqual(['/b']);
    expect(parseRecent(undefined)).toEqual([]);
  });

  it('starts on --workspace, then $MILLRACE_WORKSPACE, then the latest existing one, else ~/Millrace (created)', () => {
    const is = (set: string[]) => (d: string) => set.includes(d);
    expect(startWorkspace({ flag: '/f', env: { MILLRACE_WORKSPACE: '/e' }, recent: ['/r'], isWorkspace: is([]) })).toEqual({ dir: '/f', create: false });
    expect(startWorkspace({ env: { MILLRACE_WORKSPACE: '/e' }, recent: ['/r'], isWorkspace: is([]) })).toEqual({ dir: '/e', create: false });
    expect(startWorkspace({ env: {}, recent: ['/gone', '/r'], isWorkspace: is(['/r']) })).toEqual({ dir: '/r', create: false });
    expect(startWorkspace({ env: {}, recent: ['/gone'], isWorkspace: is([]), home: '/home/u' })).toEqual({ dir: '/home/u/Millrace', create: true });
    expect(startWorkspace({ env: {}, recent: [], isWorkspace: is(['/home/u/Millrace']), home: '/home/u' })).toEqual({ dir: '/home/u/Millrace', create: false });
  });
});

describe('files and arguments', () => {
  it('writes state files atomically and reads damaged ones as undefined', () => {
    const f = join(dir, 'sub', 'x.json');
    writeJsonFile(f, { a: 1 });
    expect(readJsonFile(f)).toEqual({ a: 1 });
    expect(existsSync(`${f}.${process.pid}.tmp`)).toBe(false);
  });

  it('parses --workspace/-w and --port, ignoring Electron and Chromium switches', () => {
    expect(parseDesktopArgs(['--workspace', '/w', '--port', '0'])).toEqual({ workspace: '/w', port: 0 });
    expect(parseDesktopArgs(['--enable-logging', '-w', '/x', '--port=9000'])).toEqual({ workspace: '/x', port: 9000 });
    expect(parseDesktopArgs(['--workspace=/y', '--port', 'abc'])).toEqual({ workspace: '/y' });
  });
});
