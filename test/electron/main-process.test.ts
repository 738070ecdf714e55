// The compiled main process (dist/electron/.../main.js), run in plain Node with a fake `electron`
// module (fixtures/fake-electron.mjs): the wiring of main.ts end to end — the page served on the
// app protocol with its CSP, IPC over the real core, permissions, menu, tray, and quitting with a
// run in flight (asked, then the run ends Canceled).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../main/electron/csp.js';
import { repoRoot, tempWorkspace } from '../helpers/workspace.js';
import { commandPipeline, QUICK_CONFIG } from '../server/helpers.js';
import { electronOut, ensureElectronBuild } from './electron-build.js';

beforeAll(ensureElectronBuild, 120_000);

function runMain(dir: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', join(repoRoot, 'test', 'electron', 'fixtures', 'electron-hook.mjs'), join(electronOut, 'main.js'), '--workspace', dir, '--port', '0'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { out: JSON.parse(line), stderr: r.stderr };
  } catch {
    throw new Error(`no result from the main process (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

describe('main process under a fake electron', () => {
  it('serves the UI with the CSP, answers IPC from the app only, denies permissions, and quits cleanly', () => {
    const tw = tempWorkspace(QUICK_CONFIG);
    try {
      const { out, stderr } = runMain(tw.dir);
      expect(out.error).toBeUndefined();
      expect(out.page).toMatchObject({ url: 'millrace://app/index.html', status: 200, csp: contentSecurityPolicy() });
      expect(out.traversal).toBe(404);
      expect(out.missingImage).toEqual({ error: { code: 'not_found', message: "no run 'nope'" } });
      expect(out.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
      expect(out.preloadExists).toBe(true);
      expect(out.info).toMatchObject({ ok: true, result: { workspace: tw.dir } });
      expect(out.foreign).toMatchObject({ ok: false, status: 403 });
      expect(stderr).toContain('refused an IPC call from https://evil.example/');
      expect(out.permission).toBe(false);
      expect(out.menu).toContain('&File');
      expect(out.tooltip).toBe(`Millrace: idle\n${tw.dir}`);
      expect(out.schemes[0]).toMatchObject({ scheme: 'millrace', privileges: { standard: true, secure: true } });
      expect(out.quitCalls).toBe(2); // prevented once to stop the core, then let through
    } finally {
      tw.cleanup();
    }
  });

  it('asks before quitting with a run in flight; the run and its step end Canceled', () => {
    const tw = tempWorkspace(QUICK_CONFIG);
    tw.write('pipelines/sleep.yml', commandPipeline('sleeper', ['sleep', '30']));
    try {
      const { out } = runMain(tw.dir, { FAKE_SUBMIT: 'pipelines/sleep.yml' });
      expect(out.error).toBeUndefined();
      expect(out.asked).toEqual(['1 pipeline run is in flight']);
      expect(out.eventsSent).toContain('step:Running');
      const ws = tw.open();
      const run = ws.store.runs.get(out.runId);
      ws.close();
      expect(run.status).toBe('Canceled');
      expect(run.steps.map((s) => s.status)).toEqual(['Canceled']);
    } finally {
      tw.cleanup();
    }
  });
});
