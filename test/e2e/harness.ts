// End-to-end harness: a real `millrace serve --json --port 0` on a temp workspace, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cliPath, repoRoot, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

export const CHROMIUM = process.env.MILLRACE_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/**
 * Where the e2e run saves its page screenshots: test-results/screenshots, or the committed
 * docs/screenshots when asked (`MILLRACE_UPDATE_SCREENSHOTS=1 npm test`), so a plain test run
 * never rewrites tracked files.
 */
export const screenshotDir = process.env.MILLRACE_UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'screenshots') : join(repoRoot, 'test-results', 'screenshots');

export interface Served {
  url: string;
  loginUrl: string;
  ws: TempWorkspace;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `millrace serve` and resolves with the JSON line it prints once listening. */
export async function serve(ws: TempWorkspace = tempWorkspace()): Promise<Served> {
  const proc = spawn(process.execPath, [cliPath, 'serve', '-w', ws.dir, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const ready = await new Promise<{ url: string; loginUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 20_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      try {
        const j = JSON.parse(out);
        clearTimeout(timer);
        resolve(j);
      } catch {
        // not the whole document yet
      }
    });
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    ...ready,
    ws,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Notices come and go: leave them out so the pictures show the page.
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), style: '.toaster { display: none !important; }' });
}
