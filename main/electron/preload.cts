// The preload: exposes exactly one bridge, `window.millrace` = {invoke(name, args), on(event, fn)},
// through contextBridge. It runs sandboxed, where only `require('electron')` works: so it imports
// nothing else at run time (types only) and repeats the channel names of shared/api/bridge.ts
// (a test checks they match). It forwards {name, args} as is; the main process validates them.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BridgeEvent, BridgeEventMap, BridgeEventName, MillraceBridge } from '../../shared/api/bridge.js';

const IPC_INVOKE = 'millrace:invoke';
const IPC_EVENT = 'millrace:event';
const BRIDGE_NAME = 'millrace';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
let attached = false;

function dispatchEvent(_e: IpcRendererEvent, message: BridgeEvent): void {
  for (const l of listeners.get(message?.event) ?? []) {
    try {
      l(message.payload);
    } catch (err) {
      console.error(err);
    }
  }
}

const bridge: MillraceBridge = {
  invoke: (name, args) => ipcRenderer.invoke(IPC_INVOKE, String(name), args ?? {}),
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEventMap[E]) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (!attached) {
      ipcRenderer.on(IPC_EVENT, dispatchEvent);
      attached = true;
    }
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => void set.delete(l);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_NAME, bridge);
