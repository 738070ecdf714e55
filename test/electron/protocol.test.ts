// The app protocol's path resolver: files under dist/renderer only, nothing else on the disk.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ENTRY, confineToRoot, contentTypeFor, isAppUrl, resolveAppFile } from '../../main/electron/protocol.js';

const root = mkdtempSync(join(tmpdir(), 'millrace-renderer-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html>');
writeFileSync(join(root, 'assets', 'app.js'), '');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveAppFile', () => {
  it('maps app URLs to files under the root; extension-less paths are routes (index.html)', () => {
    expect(resolveAppFile(root, APP_ENTRY)).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'millrace://app/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'millrace://app/assets/app.js?v=1#x')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppFile(root, 'millrace://app/runs/abc')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'millrace://app/assets/with%20space.js')).toBe(join(root, 'assets', 'with space.js'));
  });

  it('refuses traversal, encoded separators, NUL, other hosts and other schemes', () => {
    for (const url of [
      'millrace://app/../../etc/passwd',
      'millrace://app/assets/%2e%2e/%2e%2e/secret.txt',
      'millrace://app/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'millrace://app/..%5c..%5cwindows%5cwin.ini',
      'millrace://app/assets/app.js%00.html',
      'millrace://app/%2fetc%2fpasswd.txt',
      'millrace://other/index.html',
      'file:///etc/passwd',
      'https://app/index.html',
      'millrace://app/%E0%A4%A',
      'not a url',
    ]) {
      const r = resolveAppFile(root, url);
      expect(r === null || r.startsWith(`${root}/`), url).toBe(true);
      if (r) expect(r.includes('..'), url).toBe(false);
    }
    expect(resolveAppFile(root, 'millrace://app/%2e%2e%2f%2e%2e%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(root, 'millrace://app/assets/app.js%00.html')).toBeNull();
    expect(resolveAppFile(root, 'millrace://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull();
  });

  it('resolves `..` segments the URL parser folds to a path still inside the root', () => {
    // new URL() itself turns /a/../../x into /x: it can never climb above the root.
    expect(resolveAppFile(root, 'millrace://app/../../etc/passwd.txt')).toBe(join(root, 'etc', 'passwd.txt'));
  });

  it('serves no file that a link leads outside the root (the handler checks real paths)', async () => {
    symlinkSync('/etc', join(root, 'etc-link'));
    const lexical = resolveAppFile(root, 'millrace://app/etc-link/hosts.conf')!;
    expect(lexical).toBe(join(root, 'etc-link', 'hosts.conf'));
    expect(await confineToRoot(root, join(root, 'etc-link', 'passwd'))).toBeNull();
    expect(await confineToRoot(root, join(root, 'missing.js'))).toBeNull();
    expect(await confineToRoot(root, join(root, 'assets', 'app.js'))).toMatch(/assets[\\/]app\.js$/);
  });
});

describe('isAppUrl and content types', () => {
  it('recognises the app origin only', () => {
    expect(isAppUrl('millrace://app/index.html')).toBe(true);
    expect(isAppUrl('millrace://app.evil/index.html')).toBe(false);
    expect(isAppUrl('http://app/index.html')).toBe(false);
  });
  it('types the renderer files', () => {
    expect(contentTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/a.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/a.css')).toMatch(/^text\/css/);
    expect(contentTypeFor('/x/a.bin')).toBe('application/octet-stream');
  });
});
