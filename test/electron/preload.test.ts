// The preload, run as Electron runs a sandboxed preload (a CommonJS script whose `require` knows
// only 'electron'), against fake contextBridge and ipcRenderer objects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BRIDGE_NAME, IPC_EVENT, IPC_INVOKE, type MillraceBridge } from '../../shared/api/bridge.js';
import { repoRoot } from '../helpers/workspace.js';

const source = readFileSync(join(repoRoot, 'main', 'electron', 'preload.cts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;

function loadPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Array<(...a: unknown[]) => void>>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, result: 'answer' };
      },
      on: (ch: string, l: (...a: unknown[]) => void) => void listeners.set(ch, [...(listeners.get(ch) ?? []), l]),
    },
  };
  const require = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`module not found: ${name}`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(js, { require, module, exports: module.exports, console });
  const emit = (message: unknown) => {
    for (const l of listeners.get(IPC_EVENT) ?? []) l({ sender: null }, message);
  };
  return { exposed, invoked, listeners, required, emit };
}

describe('preload', () => {
  it('requires nothing but electron and exposes exactly one bridge', () => {
    const p = loadPreload();
    expect(p.required).toEqual(['electron']);
    expect(Object.keys(p.exposed)).toEqual([BRIDGE_NAME]);
    expect(Object.keys(p.exposed[BRIDGE_NAME] as object).sort()).toEqual(['invoke', 'on']);
  });

  it('uses the channel names of shared/api/bridge.ts', () => {
    expect(source).toContain(`const IPC_INVOKE = '${IPC_INVOKE}'`);
    expect(source).toContain(`const IPC_EVENT = '${IPC_EVENT}'`);
    expect(source).toContain(`const BRIDGE_NAME = '${BRIDGE_NAME}'`);
  });

  it('forwards invoke(name, args) on the invoke channel, untouched', async () => {
    const p = loadPreload();
    const bridge = p.exposed[BRIDGE_NAME] as MillraceBridge;
    expect(await bridge.invoke('runs/get', { id: 'x' })).toEqual({ ok: true, result: 'answer' });
    await bridge.invoke('server/info', undefined);
    expect(p.invoked).toEqual([
      [IPC_INVOKE, 'runs/get', { id: 'x' }],
      [IPC_INVOKE, 'server/info', {}],
    ]);
  });

  it('delivers events by name to subscribers until they unsubscribe; one IPC listener in all', () => {
    const p = loadPreload();
    const bridge = p.exposed[BRIDGE_NAME] as MillraceBridge;
    const runs: unknown[] = [];
    const steps: unknown[] = [];
    const offRun = bridge.on('run', (e) => runs.push(e));
    bridge.on('step', (e) => steps.push(e));
    bridge.on('navigate', () => {
      throw new Error('a failing listener does not stop the others');
    });
    const origError = console.error;
    console.error = () => {};
    p.emit({ event: 'run', payload: { type: 'run', runId: 'r', status: 'Running' } });
    p.emit({ event: 'step', payload: { type: 'step', runId: 'r', stepRunId: 's', step: 'x', status: 'Running' } });
    p.emit({ event: 'navigate', payload: { view: 'run', runId: 'r' } });
    p.emit(null);
    offRun();
    p.emit({ event: 'run', payload: { type: 'run', runId: 'r', status: 'Completed' } });
    console.error = origError;
    expect(runs).toEqual([{ type: 'run', runId: 'r', status: 'Running' }]);
    expect(steps).toHaveLength(1);
    expect(p.listeners.get(IPC_EVENT)).toHaveLength(1);
    // (the preload runs in another realm: its TypeError is not this one's)
    expect(() => bridge.on('run', 'nope' as never)).toThrow('listener must be a function');
  });
});
