// Files for the window (output downloads, image metrics): the contract's file calls (response
// 'file') answered on the app protocol at the same paths as over HTTP, e.g.
// millrace://app/api/v1/runs/RUN/images?path=images/roc.png — so <img src> and download links
// work in the desktop app as they do in a browser. The handler validates the args and resolves
// the path inside the run's folders exactly as HTTP does (same dispatch(), same handlers).
import { API, API_PREFIX, callNames, type CallName } from '../../shared/api/contract.js';
import { APP_HOST, APP_SCHEME } from './protocol.js';

interface Route {
  name: CallName;
  pattern: RegExp;
  params: string[];
}

const routes: Route[] = callNames()
  .filter((n) => API[n].response === 'file' && API[n].method === 'GET')
  .map((name) => {
    const params: string[] = [];
    const source = API[name].path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, p: string) => {
      params.push(p);
      return '([^/]+)';
    });
    return { name, pattern: new RegExp(`^${API_PREFIX}${source}$`), params };
  });

/** The file call a URL of the app protocol names, with its raw args (path params + query), or null. */
export function fileCallFor(url: string): { name: CallName; args: Record<string, string> } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || !u.pathname.startsWith(`${API_PREFIX}/`)) return null;
  for (const r of routes) {
    const m = r.pattern.exec(u.pathname);
    if (!m) continue;
    const args: Record<string, string> = Object.fromEntries(u.searchParams);
    try {
      r.params.forEach((p, i) => (args[p] = decodeURIComponent(m[i + 1])));
    } catch {
      return null;
    }
    return { name: r.name, args };
  }
  return null;
}

/** Content-Disposition for a file answer: inline for images, a download otherwise. */
export function dispositionFor(name: string, inline: boolean): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
