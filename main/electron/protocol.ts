// The custom protocol the renderer is loaded from (millrace://app/...), never file:// nor a remote
// URL: one origin for the CSP and the sender checks, and no access to the rest of the disk.
import { realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'millrace';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** True for URLs of the app itself (the protocol's origin). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The file under `root` a request URL names, or null (then: 404). Refuses other hosts, `..`,
 * encoded separators, NUL bytes and anything that resolves outside root. Paths without an
 * extension are client-side routes: they get index.html.
 */
export function resolveAppFile(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  // The URL parser already folds `..`; anything left (encoded, backslashes, NUL) is hostile.
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  if (/%2f|%5c/i.test(u.pathname)) return null;
  rel = rel.replace(/^\/+/, '');
  if (rel === '' || !extname(rel)) rel = 'index.html';
  const base = resolve(root);
  const file = resolve(base, rel);
  return file.startsWith(base + sep) ? file : null;
}

/** The file's real path when it (links resolved) is still under root's real path, else null. */
export async function confineToRoot(root: string, file: string): Promise<string | null> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return realFile.startsWith(realRoot + sep) ? realFile : null;
  } catch {
    return null;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeFor = (file: string): string => TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
