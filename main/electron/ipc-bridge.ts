// The main process half of the preload bridge: one ipcMain handler that forwards {name, args} to
// the same dispatch() the HTTP routes use (same zod schemas, same handlers), after checking that
// the message comes from the app's own main frame; and the forwarding of run events to windows.
// Takes ipcMain/webContents-like interfaces so tests drive it without the Electron binary.
import type { IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type BridgeEvent, type IpcReply } from '../../shared/api/bridge.js';
import type { ApiEvent } from '../../shared/api/events.js';
import type { CallContext } from '../core/context.js';
import { toWire } from '../core/wire-errors.js';
import { isAppUrl } from './protocol.js';

/** The part of Electron's IpcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of an IpcMainInvokeEvent checked here. */
export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

export interface IpcBridgeOptions {
  /** dispatch() of main/core/dispatch.ts (or a test double). */
  dispatch(name: string, args: unknown, ctx: CallContext): Promise<unknown>;
  /** The current core's context (it changes when another workspace is opened); throws while none is open. */
  context(): CallContext;
  /** Extra check of the sender (e.g. one of our windows' webContents). */
  isOurWebContents?(sender: unknown): boolean;
  logError?(message: string): void;
}

/** Only the main frame of a page of the app itself may call: no iframe, no other origin. */
export function isTrustedSender(frame: SenderFrameLike | null | undefined): boolean {
  return !!frame && !frame.parent && isAppUrl(frame.url);
}

const refused = (code: string, message: string, status: number): IpcReply => ({ ok: false, status, error: { code, message } });

/** Registers the handler; returns its disposer. */
export function registerIpcBridge(ipcMain: IpcMainLike, o: IpcBridgeOptions): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, name, args): Promise<IpcReply> => {
    const frame = (event as { senderFrame?: SenderFrameLike | null }).senderFrame;
    if (!isTrustedSender(frame) || (o.isOurWebContents && !o.isOurWebContents(event.sender))) {
      o.logError?.(`refused an IPC call from ${frame?.url ?? 'an unknown frame'}`);
      return refused('forbidden', 'calls are accepted from the app window only', 403);
    }
    if (typeof name !== 'string') return refused('invalid_input', 'the call name must be a string', 400);
    try {
      return { ok: true, result: await o.dispatch(name, args, o.context()) };
    } catch (e) {
      const { status, body, internal } = toWire(e);
      if (internal) o.logError?.(`internal error in ${name}: ${(e as Error).stack ?? e}`);
      return { ok: false, status, ...body };
    }
  });
  return () => ipcMain.removeHandler(IPC_INVOKE);
}

/** The part of Electron's WebContents used here. */
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Sends one bridge event to every live target. */
export function sendBridgeEvent(targets: Iterable<WebContentsLike>, message: BridgeEvent): void {
  for (const wc of targets) if (!wc.isDestroyed()) wc.send(IPC_EVENT, message);
}

/** Forwards run and step events to the windows; returns the disposer. */
export function forwardRunEvents(source: { subscribe(l: (e: ApiEvent) => void): () => void }, targets: () => Iterable<WebContentsLike>): () => void {
  return source.subscribe((e) => sendBridgeEvent(targets(), { event: e.type, payload: e } as BridgeEvent));
}
