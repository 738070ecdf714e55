// Hash routing (#/runs/ID?step=x): works from a file:// or custom-protocol page in Electron as
// well as under `millrace serve`, and needs no server-side fallback route.
export interface Route {
  /** Path segments, e.g. ['runs', 'abc']. */
  parts: string[];
  query: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, '') || '/runs';
  const [path, qs = ''] = h.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts: parts.length ? parts : ['runs'], query: Object.fromEntries(new URLSearchParams(qs)) };
}

/** Builds `#/a/b?x=1`, leaving out empty query values. */
export function href(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export class Router {
  route = $state.raw<Route>(parseHash(''));

  constructor(private readonly win?: Window) {
    if (!win) return;
    this.route = parseHash(win.location.hash);
    win.addEventListener('hashchange', () => (this.route = parseHash(win.location.hash)));
  }

  go(to: string, replace = false): void {
    if (!this.win) {
      this.route = parseHash(to);
      return;
    }
    if (replace) this.win.history.replaceState(null, '', to);
    else this.win.location.hash = to;
    this.route = parseHash(to);
  }

  /** Change some query values of the current route (replacing the history entry). */
  setQuery(patch: Record<string, string | number | undefined | null>): void {
    const q: Record<string, string | number | undefined | null> = { ...this.route.query, ...patch };
    this.go(href(`/${this.route.parts.map(encodeURIComponent).join('/')}`, q), true);
  }
}

export const router = new Router(typeof window === 'undefined' ? undefined : window);
