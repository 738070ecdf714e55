// The one way components reach the core: a typed client plus the event stream. The transport is
// picked once at start: Electron's preload bridge (`window.millrace`) when present, else HTTP +
// server-sent events against the `millrace serve` that served this page. Components never know which.
import { ipcTransport, type MillraceBridge } from '../../../../shared/api/bridge.js';
import { createClient, httpTransport, type ApiClient } from '../../../../shared/api/client.js';
import { API_PREFIX, type CallName } from '../../../../shared/api/contract.js';
import { EVENTS_PATH, type ApiEvent } from '../../../../shared/api/events.js';
import { httpRequestFor } from '../../../../shared/api/http.js';

declare global {
  interface Window {
    /** The Electron preload's bridge (shared/api/bridge.ts); absent in a browser. */
    millrace?: MillraceBridge;
  }
}

export type EventListener = (e: ApiEvent) => void;
export type LinkState = 'connecting' | 'live' | 'offline';

export interface Connection {
  kind: 'ipc' | 'http';
  client: ApiClient;
  /** Subscribe to run/step status changes; returns the unsubscriber. */
  subscribe(listener: EventListener): () => void;
  /** Called with 'live' / 'offline' as the event stream connects and drops. */
  onLink(listener: (s: LinkState) => void): () => void;
  /**
   * A URL that answers a file call (downloads, images): the call's HTTP path on the page's origin — the
   * `millrace serve` in a browser, the app protocol (millrace://app, main/electron/app-files.ts) in the desktop app.
   */
  fileUrl(name: CallName, args: Record<string, unknown>): string | undefined;
  /** The desktop shell asks to show a run (a notification was clicked). */
  onNavigate(listener: (runId: string) => void): () => void;
}

class Hub {
  private listeners = new Set<EventListener>();
  private linkListeners = new Set<(s: LinkState) => void>();
  emit = (e: ApiEvent) => {
    for (const l of this.listeners) l(e);
  };
  link = (s: LinkState) => {
    for (const l of this.linkListeners) l(s);
  };
  add(l: EventListener, start: () => void): () => void {
    this.listeners.add(l);
    start();
    return () => this.listeners.delete(l);
  }
  addLink(l: (s: LinkState) => void): () => void {
    this.linkListeners.add(l);
    return () => this.linkListeners.delete(l);
  }
}

/** The URL of a file call on an origin: the contract's own path (shared/api/http.ts), never written twice. */
export const fileUrlFor = (origin: string, name: CallName, args: Record<string, unknown>): string => `${origin}${httpRequestFor(name, args as never).url}`;

export function connect(win: Window = window): Connection {
  const hub = new Hub();
  const bridge = win.millrace;
  if (bridge?.invoke) {
    let off: (() => void)[] | undefined;
    return {
      kind: 'ipc',
      client: createClient(ipcTransport(bridge)),
      subscribe: (l) => hub.add(l, () => (off ??= [bridge.on('run', hub.emit), bridge.on('step', hub.emit)])),
      onLink: (l) => {
        l('live');
        return hub.addLink(l);
      },
      // The page is loaded from millrace://app, whose protocol handler answers the file calls at their HTTP paths.
      fileUrl: (name, args) => fileUrlFor(win.location.origin, name, args),
      onNavigate: (l) => bridge.on('navigate', (p) => l(p.runId)),
    };
  }
  const base = win.location.origin;
  let source: EventSource | undefined;
  const open = () => {
    if (source) return;
    // Same origin: the session cookie goes along (EventSource cannot send headers; tokens never ride in URLs).
    source = new EventSource(`${base}${API_PREFIX}${EVENTS_PATH}`);
    source.onopen = () => hub.link('live');
    source.onerror = () => hub.link(source?.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    for (const type of ['run', 'step'] as const) {
      source.addEventListener(type, (m) => hub.emit(JSON.parse((m as MessageEvent<string>).data) as ApiEvent));
    }
  };
  return {
    kind: 'http',
    client: createClient(httpTransport({ baseUrl: base, fetch: (url, init) => win.fetch(url, { ...init, credentials: 'same-origin' }) })),
    subscribe: (l) => hub.add(l, open),
    onLink: (l) => hub.addLink(l),
    fileUrl: (name, args) => fileUrlFor(base, name, args),
    onNavigate: () => () => {},
  };
}
