// Who we are talking to (server/info) and whether the event stream is live: the shell's header.
import type { ServerInfo } from '../../../shared/api/records.js';
import type { Connection, LinkState } from './api/connection.js';
import { isUnauthorized, messageOf } from './api/api.js';

export class Session {
  info = $state.raw<ServerInfo | null>(null);
  /** 'signedOut': the API answered 401 — the page was opened without the login link. */
  state = $state<'loading' | 'ready' | 'signedOut' | 'error'>('loading');
  error = $state<string | null>(null);
  link = $state<LinkState>('connecting');

  constructor(private readonly conn: Connection) {}

  async start(): Promise<void> {
    this.conn.onLink((s) => (this.link = s));
    try {
      this.info = await this.conn.client.call('server/info', {});
      this.state = 'ready';
      if (this.conn.kind === 'ipc') this.link = 'live';
    } catch (e) {
      this.state = isUnauthorized(e) ? 'signedOut' : 'error';
      this.error = messageOf(e);
    }
  }
}
