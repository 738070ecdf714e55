// Navigation and new windows: the window only ever shows the app; web links open in the system
// browser; everything else (file:, javascript:, other schemes) is dropped.
import { isAppUrl } from './protocol.js';

export type NavigationDecision = 'allow' | 'external' | 'deny';

const EXTERNAL = new Set(['https:', 'http:', 'mailto:']);

export function isExternalUrl(url: string): boolean {
  try {
    return EXTERNAL.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** In-page navigation (will-navigate, will-redirect): the app may move within itself. */
export const navigationDecision = (url: string): NavigationDecision => (isAppUrl(url) ? 'allow' : isExternalUrl(url) ? 'external' : 'deny');

/** window.open / target=_blank: never a new Electron window. */
export const newWindowDecision = (url: string): Exclude<NavigationDecision, 'allow'> => (isExternalUrl(url) ? 'external' : 'deny');

/** Permission requests (camera, notifications from the page, geolocation, ...): none is granted. */
export const permissionDecision = (_permission: string): boolean => false;
