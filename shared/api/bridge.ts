// The Electron transport of the contract: what the preload exposes as `window.millrace`, and the
// client side that turns it into a `Transport`. The preload only forwards {name, args}; the main
// process validates them with the same zod schemas as HTTP (main/server/dispatch.ts).
import { ApiError, type Transport } from './client.js';
import type { CallName } from './contract.js';
import type { ApiEventMap } from './events.js';
import type { WireError } from './http.js';

/** ipcMain/ipcRenderer channel names. The preload repeats them (it may not import): a test checks they match. */
export const IPC_INVOKE = 'millrace:invoke';
export const IPC_EVENT = 'millrace:event';

/** The name under which the preload exposes the bridge: `window.millrace`. */
export const BRIDGE_NAME = 'millrace';

/** What one invoke answers: errors travel as data, because Electron keeps only an Error's message. */
export type IpcReply = { ok: true; result: unknown } | ({ ok: false; status: number } & WireError);

/** Events the desktop shell adds to the API's: `navigate` asks the UI to show a view (e.g. a notification was clicked). */
export interface DesktopEventMap {
  navigate: { view: 'run'; runId: string };
}
export type BridgeEventMap = ApiEventMap & DesktopEventMap;
export type BridgeEventName = keyof BridgeEventMap;

/** One message on IPC_EVENT. */
export type BridgeEvent = { [E in BridgeEventName]: { event: E; payload: BridgeEventMap[E] } }[BridgeEventName];

/** `window.millrace` in the desktop app. */
export interface MillraceBridge {
  invoke(name: CallName, args: unknown): Promise<IpcReply>;
  /** Returns the unsubscribe function. */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEventMap[E]) => void): () => void;
}

/** The renderer's IPC transport: same results and ApiErrors as `httpTransport`. */
export function ipcTransport(bridge: MillraceBridge): Transport {
  return async (name, args) => {
    const reply = await bridge.invoke(name, args ?? {});
    if (reply.ok) return reply.result;
    const { code, message, details } = reply.error;
    throw new ApiError(message, code, reply.status, details);
  };
}
