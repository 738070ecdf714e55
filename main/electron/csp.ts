// The Content-Security-Policy of every page the app loads (Electron security checklist item 7).
// Scripts only from the app's own origin: no inline script, no eval, no remote code. Styles allow
// 'unsafe-inline' because Svelte writes style attributes; a style cannot run code.

export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['media-src', "'none'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['child-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const contentSecurityPolicy = (): string => CSP_DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; ');

/** Headers of every response of the app protocol. */
export const appResponseHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'content-security-policy': contentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
});
